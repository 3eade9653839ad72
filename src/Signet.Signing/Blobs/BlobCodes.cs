namespace Signet.Signing.Blobs;

/// <summary>
/// Stable codes of failed blob verification checks (<c>signet verify-blob</c>). They appear in results, JSON output and
/// docs/error-codes.md; never reuse or renumber, add new ones at the end.
/// </summary>
public static class BlobCodes
{
    /// <summary>The bundle is not valid Sigstore bundle JSON or breaks a structural rule of its version (the BND code is in the message).</summary>
    public const string MalformedBundle = "BLB1001";

    /// <summary>The bundle signs something other than a file's bytes (a DSSE envelope: an image signature or attestation).</summary>
    public const string NotMessageSignature = "BLB1002";

    /// <summary>The bundle has no message digest, or one whose algorithm Signet does not compute.</summary>
    public const string UnsupportedDigest = "BLB1003";

    /// <summary>The file does not hash to the bundle's message digest: the file is not the one that was signed.</summary>
    public const string DigestMismatch = "BLB1004";

    /// <summary>The signature does not verify over the file with the given key.</summary>
    public const string SignatureMismatch = "BLB1005";

    /// <summary>The bundle carries a certificate (keyless signing), not a public-key hint: a key was given for a keyless bundle.</summary>
    public const string NotKeyed = "BLB1006";

    /// <summary>An Ed25519 signature covers the whole file, which is larger than Signet reads into memory.</summary>
    public const string TooLargeForEd25519 = "BLB1007";
}

/// <summary>The step of blob verification a problem belongs to.</summary>
public enum BlobCheckStep
{
    /// <summary>Reading and checking the bundle's structure.</summary>
    Bundle,

    /// <summary>The bundle's verification material (key hint or certificate).</summary>
    Material,

    /// <summary>Comparing the file's digest with the bundle's message digest.</summary>
    Digest,

    /// <summary>Verifying the signature with the key.</summary>
    Signature,
}

/// <summary>One failed check: a stable <see cref="BlobCodes">code</see>, the step, what failed and what to do.</summary>
public sealed record BlobProblem
{
    public required string Code { get; init; }

    public required BlobCheckStep Step { get; init; }

    public required string Message { get; init; }

    public override string ToString() => $"{Code}: {Message}";
}
