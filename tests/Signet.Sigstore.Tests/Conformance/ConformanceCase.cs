using System.Security.Cryptography;
using Signet.Crypto;
using Signet.Crypto.KeyFiles;
using Signet.Sigstore.Bundles;
using Signet.Sigstore.Certificates;
using Signet.Sigstore.TrustedRoots;
using Signet.Sigstore.Verification;
using TestData = Signet.Testing.TestData;

namespace Signet.Sigstore.Tests.Conformance;

/// <summary>How the artifact of a conformance case is handed over: the file, or its <c>sha256:HEX</c> digest.</summary>
public enum ArtifactInput
{
    File,
    Digest,
}

/// <summary>
/// One sigstore-conformance bundle-verify case read with the semantics of its README (shared data README,
/// "sigstore-conformance"): a <c>_fail</c> suffix means verification must fail; <c>artifact</c> defaults to
/// <c>../a.txt</c>; <c>identity</c> and <c>issuer</c> default to the conformance beacon's; <c>key.pub</c> selects key
/// verification; <c>trusted_root.json</c> defaults to the production trusted root.
/// </summary>
internal sealed class ConformanceCase
{
    public const string Folder = "sigstore-conformance/bundle-verify";

    public const string DefaultIdentity =
        "https://github.com/sigstore-conformance/extremely-dangerous-public-oidc-beacon/.github/workflows/extremely-dangerous-oidc-beacon.yml@refs/heads/main";

    public const string DefaultIssuer = "https://token.actions.githubusercontent.com";

    private ConformanceCase(string name, string directory)
    {
        Name = name;
        Directory = directory;
    }

    public string Name { get; }

    public string Directory { get; }

    public bool MustFail => Name.EndsWith("_fail", StringComparison.Ordinal);

    public static IEnumerable<string> Names() =>
        System.IO.Directory.GetDirectories(TestData.Require(Folder))
            .Select(Path.GetFileName)
            .Order(StringComparer.Ordinal)
            .Cast<string>();

    public static ConformanceCase Load(string name) => new(name, TestData.Require(Path.Combine(Folder, name)));

    public string ArtifactPath => File.Exists(Path.Combine(Directory, "artifact"))
        ? Path.Combine(Directory, "artifact")
        : Path.Combine(Directory, "..", "a.txt");

    public string TrustedRootPath => File.Exists(Path.Combine(Directory, "trusted_root.json"))
        ? Path.Combine(Directory, "trusted_root.json")
        : TestData.Require("sigstore-conformance/trusted_root.production.json");

    public string? KeyPath => File.Exists(Path.Combine(Directory, "key.pub")) ? Path.Combine(Directory, "key.pub") : null;

    public string Identity => ReadOptional("identity") ?? DefaultIdentity;

    public string Issuer => ReadOptional("issuer") ?? DefaultIssuer;

    public string BundlePath => Path.Combine(Directory, "bundle.sigstore.json");

    public Artifact Artifact(ArtifactInput input)
    {
        var bytes = File.ReadAllBytes(ArtifactPath);
        return input == ArtifactInput.File ? Sigstore.Verification.Artifact.FromBytes(bytes) : Sigstore.Verification.Artifact.FromSha256(SHA256.HashData(bytes));
    }

    /// <summary>The code of a case whose trusted root cannot be read (a client stops before verifying).</summary>
    public const string TrustedRootUnreadable = "trusted-root-unreadable";

    /// <summary>The code of a case whose key.pub cannot be read (a client stops before verifying).</summary>
    public const string KeyUnreadable = "key-unreadable";

    /// <summary>
    /// Runs the case the way a conformance client does: a valid verdict, or the failure's code and reason (a bundle,
    /// trusted root or key that cannot be read is a failure too, as a client exits non-zero then).
    /// </summary>
    public BundleVerification Run(ArtifactInput input)
    {
        var read = SigstoreBundle.Read(File.ReadAllBytes(BundlePath));
        if (read.Bundle is null)
        {
            return new BundleVerification { Code = read.Problems[0].Code, Reason = read.Problems[0].Message };
        }

        TrustedRoot root;
        try
        {
            root = TrustedRoot.Parse(File.ReadAllBytes(TrustedRootPath));
        }
        catch (TrustedRootException e)
        {
            return new BundleVerification { Code = TrustedRootUnreadable, Reason = e.Message };
        }

        VerificationPolicy policy;
        if (KeyPath is { } keyPath)
        {
            PublicKey key;
            try
            {
                key = PublicKeyPem.Parse(File.ReadAllText(keyPath), keyPath);
            }
            catch (Exception e) when (e is KeyFileException or KeyFileFormatException)
            {
                return new BundleVerification { Code = KeyUnreadable, Reason = e.Message };
            }

            policy = VerificationPolicy.ForKey(key);
        }
        else
        {
            policy = VerificationPolicy.ForIdentity(new CertificateIdentityPolicy { SubjectAlternativeName = Identity, Issuer = Issuer });
        }

        return new BundleVerifier(root).Verify(read.Bundle, Artifact(input), policy);
    }

    private string? ReadOptional(string file)
    {
        var path = Path.Combine(Directory, file);
        return File.Exists(path) ? File.ReadAllText(path).Trim() : null;
    }
}
