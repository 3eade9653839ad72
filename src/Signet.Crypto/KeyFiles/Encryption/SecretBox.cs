using System.Security.Cryptography;
using Org.BouncyCastle.Crypto.Engines;
using Org.BouncyCastle.Crypto.Macs;
using Org.BouncyCastle.Crypto.Parameters;

namespace Signet.Crypto.KeyFiles.Encryption;

/// <summary>
/// NaCl crypto_secretbox (XSalsa20-Poly1305) as golang.org/x/crypto/nacl/secretbox lays it out: the first 32 bytes of
/// the XSalsa20 keystream are the one-time Poly1305 key, the message is XORed with the keystream from byte 32 on, and the
/// 16-byte tag over the ciphertext comes first. Built from BouncyCastle's XSalsa20 and Poly1305 primitives.
/// </summary>
internal static class SecretBox
{
    public const int KeySize = 32;
    public const int NonceSize = 24;
    public const int TagSize = 16;

    /// <summary>tag || ciphertext.</summary>
    public static byte[] Seal(ReadOnlySpan<byte> key, ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> plaintext)
    {
        var stream = Start(key, nonce, out var macKey);
        var box = new byte[TagSize + plaintext.Length];
        var input = plaintext.ToArray();
        stream.ProcessBytes(input, 0, input.Length, box, TagSize);
        CryptographicOperations.ZeroMemory(input);
        Tag(macKey, box.AsSpan(TagSize), box.AsSpan(0, TagSize));
        CryptographicOperations.ZeroMemory(macKey);
        return box;
    }

    /// <summary>The plaintext, or null when the box is shorter than a tag or its tag does not authenticate.</summary>
    public static byte[]? Open(ReadOnlySpan<byte> key, ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> box)
    {
        if (box.Length < TagSize)
        {
            return null;
        }

        var stream = Start(key, nonce, out var macKey);
        Span<byte> expected = stackalloc byte[TagSize];
        Tag(macKey, box[TagSize..], expected);
        CryptographicOperations.ZeroMemory(macKey);
        if (!CryptographicOperations.FixedTimeEquals(expected, box[..TagSize]))
        {
            return null;
        }

        var ciphertext = box[TagSize..].ToArray();
        var plaintext = new byte[ciphertext.Length];
        stream.ProcessBytes(ciphertext, 0, ciphertext.Length, plaintext, 0);
        return plaintext;
    }

    private static XSalsa20Engine Start(ReadOnlySpan<byte> key, ReadOnlySpan<byte> nonce, out byte[] macKey)
    {
        if (key.Length != KeySize || nonce.Length != NonceSize)
        {
            throw new ArgumentException($"secretbox needs a {KeySize}-byte key and a {NonceSize}-byte nonce");
        }

        var stream = new XSalsa20Engine();
        stream.Init(true, new ParametersWithIV(new KeyParameter(key.ToArray()), nonce.ToArray()));
        macKey = new byte[32];
        stream.ProcessBytes(new byte[32], 0, 32, macKey, 0);
        return stream;
    }

    private static void Tag(byte[] macKey, ReadOnlySpan<byte> ciphertext, Span<byte> tag)
    {
        var mac = new Poly1305();
        mac.Init(new KeyParameter(macKey));
        var data = ciphertext.ToArray();
        mac.BlockUpdate(data, 0, data.Length);
        var output = new byte[TagSize];
        mac.DoFinal(output, 0);
        output.CopyTo(tag);
    }
}
