using System.Collections.Immutable;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Signet.Crypto;

namespace Signet.Sigstore.TransparencyLog;

/// <summary>One signature line of a C2SP signed note: <c>— name base64(keyHint || signature)</c>.</summary>
public sealed record NoteSignature(string Name, uint KeyHint, ReadOnlyMemory<byte> Signature);

/// <summary>
/// A transparency log checkpoint (C2SP tlog-checkpoint) inside a C2SP signed note: origin, tree size, base64 root hash,
/// optional extension lines, a blank line, then one or more signature lines.
/// </summary>
public sealed record Checkpoint
{
    /// <summary>Largest note accepted.</summary>
    public const int MaxNoteBytes = 64 * 1024;

    /// <summary>Most signature lines accepted (C2SP signed-note allows verifiers to stop at 100).</summary>
    public const int MaxSignatures = 100;

    private const string SignaturePrefix = "\u2014 ";

    public required string Origin { get; init; }

    public required long TreeSize { get; init; }

    public required ReadOnlyMemory<byte> RootHash { get; init; }

    /// <summary>Lines after the root hash, before the blank line.</summary>
    public required ImmutableArray<string> Extensions { get; init; }

    public required ImmutableArray<NoteSignature> Signatures { get; init; }

    /// <summary>The signed text: every line before the blank line, each ending in a newline, as UTF-8.</summary>
    public required ReadOnlyMemory<byte> SignedBody { get; init; }

    /// <summary>Parses a signed note; never throws on malformed input.</summary>
    public static bool TryParse(string? note, out Checkpoint? checkpoint, out string reason)
    {
        checkpoint = null;
        if (note is null)
        {
            reason = "checkpoint is missing";
            return false;
        }

        if (note.Length > MaxNoteBytes || Encoding.UTF8.GetByteCount(note) > MaxNoteBytes)
        {
            reason = $"checkpoint is larger than {MaxNoteBytes} bytes";
            return false;
        }

        if (!note.EndsWith('\n'))
        {
            reason = "checkpoint does not end with a newline";
            return false;
        }

        var split = note.IndexOf("\n\n", StringComparison.Ordinal);
        if (split < 0)
        {
            reason = "checkpoint has no blank line between its body and its signatures";
            return false;
        }

        var body = note[..(split + 1)];
        var bodyLines = body[..^1].Split('\n');
        if (bodyLines.Length < 3)
        {
            reason = $"checkpoint body has {bodyLines.Length} lines; origin, tree size and root hash are required";
            return false;
        }

        if (bodyLines.Any(l => l.Contains('\r', StringComparison.Ordinal)))
        {
            reason = "checkpoint contains a carriage return";
            return false;
        }

        var origin = bodyLines[0];
        if (origin.Length == 0)
        {
            reason = "checkpoint origin is empty";
            return false;
        }

        var sizeText = bodyLines[1];
        if (sizeText.Length == 0 || sizeText.Length > 19 || !sizeText.All(char.IsAsciiDigit) || (sizeText.Length > 1 && sizeText[0] == '0')
            || !long.TryParse(sizeText, NumberStyles.None, CultureInfo.InvariantCulture, out var treeSize))
        {
            reason = $"checkpoint tree size '{sizeText}' is not a decimal number";
            return false;
        }

        byte[] root;
        try
        {
            root = Convert.FromBase64String(bodyLines[2]);
        }
        catch (FormatException)
        {
            reason = "checkpoint root hash is not base64";
            return false;
        }

        if (root.Length != MerkleProof.HashSize || bodyLines[2].Any(char.IsWhiteSpace))
        {
            reason = $"checkpoint root hash is {root.Length} bytes, not {MerkleProof.HashSize}";
            return false;
        }

        var extensions = bodyLines[3..];
        if (extensions.Any(l => l.Length == 0))
        {
            reason = "checkpoint has an empty extension line";
            return false;
        }

        if (split + 2 >= note.Length)
        {
            reason = "checkpoint has no signature";
            return false;
        }

        var sigLines = note[(split + 2)..^1].Split('\n');
        if (sigLines.Length > MaxSignatures)
        {
            reason = $"checkpoint has {sigLines.Length} signature lines; at most {MaxSignatures} are accepted";
            return false;
        }

        var signatures = ImmutableArray.CreateBuilder<NoteSignature>(sigLines.Length);
        foreach (var line in sigLines)
        {
            if (!TryParseSignature(line, out var signature, out reason))
            {
                return false;
            }

            signatures.Add(signature!);
        }

        if (signatures.Count == 0)
        {
            reason = "checkpoint has no signature";
            return false;
        }

        checkpoint = new Checkpoint
        {
            Origin = origin,
            TreeSize = treeSize,
            RootHash = root,
            Extensions = [.. extensions],
            Signatures = signatures.MoveToImmutable(),
            SignedBody = Encoding.UTF8.GetBytes(body),
        };
        reason = string.Empty;
        return true;
    }

    /// <summary>
    /// The 4-byte key hint of a log key in a signed note: ECDSA SHA-256(PKIX DER)[:4]; Ed25519
    /// SHA-256(name || 0x0A || 0x01 || raw key)[:4]; RSA SHA-256(name || 0x0A || 0xFF || "PKIX-RSA-PKCS#1v1.5" || DER)[:4].
    /// </summary>
    public static uint KeyHint(PublicKey key, string name)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(name);
        var der = key.SubjectPublicKeyInfo.Span;
        byte[] hash;
        switch (key.Algorithm)
        {
            case KeyAlgorithm.Ed25519:
                hash = SHA256.HashData([.. Encoding.UTF8.GetBytes(name), 0x0A, 0x01, .. der[^32..]]);
                break;
            case KeyAlgorithm.Rsa2048 or KeyAlgorithm.Rsa3072 or KeyAlgorithm.Rsa4096:
                hash = SHA256.HashData([.. Encoding.UTF8.GetBytes(name), 0x0A, 0xFF, .. "PKIX-RSA-PKCS#1v1.5"u8, .. der]);
                break;
            default:
                hash = SHA256.HashData(der);
                break;
        }

        return System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(hash);
    }

    /// <summary>
    /// Verifies that a signature line whose key hint (and name, when <paramref name="name"/> is given) matches
    /// <paramref name="key"/> signs the note body. Never throws on a bad signature.
    /// </summary>
    public TlogResult VerifySignature(PublicKey key, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(key);
        var candidates = Signatures
            .Where(s => (name is null || s.Name == name) && s.KeyHint == KeyHint(key, s.Name))
            .ToList();
        if (candidates.Count == 0)
        {
            return TlogResult.Fail(
                TlogCodes.CheckpointNoMatchingSignature,
                $"checkpoint '{Origin}' has no signature whose key hint matches the log key {KeyHint(key, name ?? Origin):x8}");
        }

        foreach (var candidate in candidates)
        {
            try
            {
                if (key.Verify(SignedBody.Span, candidate.Signature.Span))
                {
                    return TlogResult.Success;
                }
            }
            catch (CryptographicException)
            {
                // A malformed signature is a failed signature.
            }
        }

        return TlogResult.Fail(TlogCodes.CheckpointBadSignature, $"checkpoint '{Origin}' signature by '{candidates[0].Name}' does not verify with the log key");
    }

    private static bool TryParseSignature(string line, out NoteSignature? signature, out string reason)
    {
        signature = null;
        if (!line.StartsWith(SignaturePrefix, StringComparison.Ordinal))
        {
            reason = "checkpoint signature line does not start with '\u2014 '";
            return false;
        }

        var rest = line[SignaturePrefix.Length..];
        var space = rest.IndexOf(' ', StringComparison.Ordinal);
        if (space <= 0 || rest.IndexOf(' ', space + 1) >= 0)
        {
            reason = "checkpoint signature line is not '\u2014 <name> <base64>'";
            return false;
        }

        byte[] blob;
        try
        {
            blob = Convert.FromBase64String(rest[(space + 1)..]);
        }
        catch (FormatException)
        {
            reason = "checkpoint signature is not base64";
            return false;
        }

        if (blob.Length < 5)
        {
            reason = "checkpoint signature is shorter than its key hint";
            return false;
        }

        signature = new NoteSignature(rest[..space], System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(blob), blob.AsMemory(4));
        reason = string.Empty;
        return true;
    }
}
