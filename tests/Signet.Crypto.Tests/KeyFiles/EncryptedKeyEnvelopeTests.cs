using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using Signet.Crypto.KeyFiles;
using Signet.Crypto.KeyFiles.Encryption;

namespace Signet.Crypto.Tests.KeyFiles;

public partial class EncryptedKeyEnvelopeTests
{
    /// <summary>go-securesystemslib encrypted_test.go: passphrase "supersecret", legacy N, plaintext "reallyimportant".</summary>
    internal const string PublishedVector =
        """{"kdf":{"name":"scrypt","params":{"N":32768,"r":8,"p":1},"salt":"N9a7x5JFGbrtB2uBR81jPwp0eiLR4A7FV3mjVAQrg1g="},"cipher":{"name":"nacl/secretbox","nonce":"2h8HxMmgRfuYdpswZBQaU3xJ1nkA/5Ik"},"ciphertext":"SEW6sUh0jf2wfdjJGPNS9+bkk2uB+Cxamf32zR8XkQ=="}""";

    [Fact]
    public void Decrypt_PublishedVector_IsReallyImportant()
    {
        var envelope = EncryptedKeyEnvelope.Parse(Encoding.UTF8.GetBytes(PublishedVector), "vector");

        var plaintext = envelope.Decrypt("supersecret"u8, "vector");

        Assert.Equal(ScryptParameters.Legacy, envelope.Parameters);
        Assert.Equal("reallyimportant"u8.ToArray(), plaintext);
    }

    [Fact]
    public void Decrypt_PublishedVectorWrongPassphrase_DecryptionFailed()
    {
        var envelope = EncryptedKeyEnvelope.Parse(Encoding.UTF8.GetBytes(PublishedVector), "vector.key");

        var e = Assert.Throws<KeyFileException>(() => envelope.Decrypt("supersecreT"u8, "vector.key"));

        Assert.Equal(KeyFileError.DecryptionFailed, e.Error);
        Assert.StartsWith("vector.key: ", e.Message, StringComparison.Ordinal);
        Assert.Contains("passphrase is wrong", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decrypt_TamperedCiphertext_DecryptionFailed()
    {
        var json = PublishedVector.Replace("SEW6sUh0", "SEW6sUh1", StringComparison.Ordinal);
        var envelope = EncryptedKeyEnvelope.Parse(Encoding.UTF8.GetBytes(json), "vector.key");

        var e = Assert.Throws<KeyFileException>(() => envelope.Decrypt("supersecret"u8, "vector.key"));

        Assert.Equal(KeyFileError.DecryptionFailed, e.Error);
    }

    [Fact]
    public void Encrypt_Standard_FieldsInGoOrderAndRoundTrips()
    {
        var json = EncryptedKeyEnvelope.Encrypt("payload"u8, "pw"u8, ScryptParameters.Standard);

        var text = Encoding.ASCII.GetString(json);
        Assert.Matches(GoLayout(), text);
        var envelope = EncryptedKeyEnvelope.Parse(json, "new");
        Assert.Equal(32, envelope.Salt.Length);
        Assert.Equal(24, envelope.Nonce.Length);
        Assert.Equal("payload"u8.ToArray(), envelope.Decrypt("pw"u8, "new"));
    }

    [Fact]
    public void Encrypt_EmptyPassphrase_RoundTrips()
    {
        var json = EncryptedKeyEnvelope.Encrypt("x"u8, [], ScryptParameters.Legacy);

        Assert.Equal("x"u8.ToArray(), EncryptedKeyEnvelope.Parse(json, "k").Decrypt([], "k"));
    }

    [Fact]
    public void Encrypt_UnacceptedParameters_Refused()
    {
        Assert.Throws<ArgumentException>(() => EncryptedKeyEnvelope.Encrypt("x"u8, [], new ScryptParameters(1024, 8, 1)));
    }

    [Fact]
    public void Parse_N2To30_RefusedInUnderOneSecond()
    {
        var json = PublishedVector.Replace("\"N\":32768", "\"N\":1073741824", StringComparison.Ordinal);
        var clock = Stopwatch.StartNew();

        var e = Assert.Throws<KeyFileException>(() => EncryptedKeyEnvelope.Parse(Encoding.UTF8.GetBytes(json), "dos.key"));

        clock.Stop();
        Assert.Equal(KeyFileError.KdfParametersRefused, e.Error);
        Assert.Contains("N=1073741824", e.Message, StringComparison.Ordinal);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1), $"refusal took {clock.Elapsed}");
    }

    [Theory]
    [InlineData(16384, 8, 1)]
    [InlineData(65537, 8, 1)]
    [InlineData(262144, 8, 1)]
    [InlineData(65536, 1, 1)]
    [InlineData(65536, 16, 1)]
    [InlineData(65536, 8, 2)]
    [InlineData(65536, 8, 0)]
    [InlineData(65536, 0, 1)]
    [InlineData(-65536, 8, 1)]
    [InlineData(65536, 1073741823, 1073741823)]
    public void Parse_ParametersOutsideAcceptedSets_Refused(int n, int r, int p)
    {
        var json = PublishedVector.Replace("\"N\":32768,\"r\":8,\"p\":1", $"\"N\":{n},\"r\":{r},\"p\":{p}", StringComparison.Ordinal);

        var e = Assert.Throws<KeyFileException>(() => EncryptedKeyEnvelope.Parse(Encoding.UTF8.GetBytes(json), "k"));

        Assert.Equal(KeyFileError.KdfParametersRefused, e.Error);
    }

    [Theory]
    [InlineData(32768)]
    [InlineData(65536)]
    [InlineData(131072)]
    public void Parse_AcceptedN_Parses(int n)
    {
        var json = PublishedVector.Replace("\"N\":32768", $"\"N\":{n}", StringComparison.Ordinal);

        Assert.Equal(n, EncryptedKeyEnvelope.Parse(Encoding.UTF8.GetBytes(json), "k").Parameters.N);
    }

    [Theory]
    [InlineData("\"N\":32768", "\"N\":32768.0")]
    [InlineData("\"N\":32768", "\"N\":\"32768\"")]
    [InlineData("\"N\":32768", "\"N\":99999999999999")]
    [InlineData("\"nonce\":\"2h8HxMmgRfuYdpswZBQaU3xJ1nkA/5Ik\"", "\"nonce\":\"2h8HxMmgRfuYdpswZBQaU3xJ\"")]
    [InlineData("\"nonce\":\"2h8HxMmgRfuYdpswZBQaU3xJ1nkA/5Ik\"", "\"nonce\":\"2h8HxMmg!!!\"")]
    [InlineData("\"ciphertext\":\"SEW6sUh0jf2wfdjJGPNS9+bkk2uB+Cxamf32zR8XkQ==\"", "\"ciphertext\":\"SEW6sUh0jf2wfdjJGPNS\"")]
    [InlineData(",\"ciphertext\":\"SEW6sUh0jf2wfdjJGPNS9+bkk2uB+Cxamf32zR8XkQ==\"", "")]
    [InlineData("{\"kdf\":", "{\"kdf\":{},\"kdf\":")]
    [InlineData("\"cipher\":{", "\"cipher\":[{")]
    [InlineData("==\"}", "==\"")]
    public void Parse_MalformedJson_KeyFileFormatException(string find, string replace)
    {
        var json = PublishedVector.Replace(find, replace, StringComparison.Ordinal);

        var e = Assert.Throws<KeyFileFormatException>(() => EncryptedKeyEnvelope.Parse(Encoding.UTF8.GetBytes(json), "bad.key"));

        Assert.StartsWith("bad.key: ", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"name\":\"scrypt\"", "\"name\":\"pbkdf2\"")]
    [InlineData("\"name\":\"nacl/secretbox\"", "\"name\":\"aes-gcm\"")]
    public void Parse_OtherKdfOrCipher_UnsupportedEncryption(string find, string replace)
    {
        var json = PublishedVector.Replace(find, replace, StringComparison.Ordinal);

        var e = Assert.Throws<KeyFileException>(() => EncryptedKeyEnvelope.Parse(Encoding.UTF8.GetBytes(json), "k"));

        Assert.Equal(KeyFileError.UnsupportedEncryption, e.Error);
    }

    [Fact]
    public void Parse_InvalidUtf8InsideString_KeyFileFormatException()
    {
        var json = Encoding.UTF8.GetBytes(PublishedVector);
        json[Array.IndexOf(json, (byte)'s', 10) + 1] = 0xE8; // inside "scrypt"

        Assert.Throws<KeyFileFormatException>(() => EncryptedKeyEnvelope.Parse(json, "k"));
    }

    [Fact]
    public void Parse_Oversized_KeyFileFormatException()
    {
        var json = PublishedVector.Replace("{\"kdf\"", "{\"pad\":\"" + new string('a', EncryptedKeyEnvelope.MaxJsonBytes) + "\",\"kdf\"", StringComparison.Ordinal);

        Assert.Throws<KeyFileFormatException>(() => EncryptedKeyEnvelope.Parse(Encoding.UTF8.GetBytes(json), "k"));
    }

    [Fact]
    public void Parse_DeeplyNested_KeyFileFormatException()
    {
        var json = PublishedVector.Replace("{\"kdf\"", "{\"x\":" + new string('[', 100) + new string(']', 100) + ",\"kdf\"", StringComparison.Ordinal);

        Assert.Throws<KeyFileFormatException>(() => EncryptedKeyEnvelope.Parse(Encoding.UTF8.GetBytes(json), "k"));
    }

    [GeneratedRegex("""^\{"kdf":\{"name":"scrypt","params":\{"N":65536,"r":8,"p":1\},"salt":"[A-Za-z0-9+/]{43}="\},"cipher":\{"name":"nacl/secretbox","nonce":"[A-Za-z0-9+/]{32}"\},"ciphertext":"[A-Za-z0-9+/]+={0,2}"\}$""")]
    private static partial Regex GoLayout();
}
