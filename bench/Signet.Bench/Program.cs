using System.Diagnostics;
using System.Globalization;
using System.Text;
using Signet.Crypto;
using Signet.Crypto.Keys;
using Signet.Sigstore.Bundles;
using Signet.Sigstore.Certificates;
using Signet.Sigstore.TrustedRoots;
using Signet.Sigstore.Verification;

// Usage:
//   Signet.Bench verify-ecdsa-p256 [seconds]
//     Verifies one cosign simple-signing payload signature with ECDSA P-256 (SHA-256, DER) in a loop on one thread
//     and prints "verify-ecdsa-p256 <verifications per second>", comparable with `openssl speed -seconds N ecdsap256`.
//   Signet.Bench verify-bundle BUNDLE TRUSTED_ROOT ARTIFACT IDENTITY ISSUER [seconds]
//     Parses a keyless Sigstore bundle and a trusted root once, then runs the full offline verification
//     (BundleVerifier.Verify: tlog SET, inclusion proof and checkpoint, chain, SCT, signature over the artifact,
//     identity) in a loop on one thread and prints "verify-bundle <bundles per second>".
const string Usage = "usage: Signet.Bench verify-ecdsa-p256 [seconds]\n" +
    "       Signet.Bench verify-bundle BUNDLE TRUSTED_ROOT ARTIFACT IDENTITY ISSUER [seconds]";

switch (args.FirstOrDefault())
{
    case "verify-ecdsa-p256" when args.Length <= 2:
        return await VerifyEcdsaP256(Seconds(args, 1));
    case "verify-bundle" when args.Length is 6 or 7:
        return VerifyBundle(args[1], args[2], args[3], args[4], args[5], Seconds(args, 6));
    default:
        Console.Error.WriteLine(Usage);
        return 2;
}

static double Seconds(string[] args, int index) =>
    args.Length > index ? double.Parse(args[index], CultureInfo.InvariantCulture) : 3;

static async Task<int> VerifyEcdsaP256(double seconds)
{
    using var key = PrivateKey.Generate(KeyAlgorithm.EcdsaP256);
    var payload = Encoding.UTF8.GetBytes(
        "{\"critical\":{\"identity\":{\"docker-reference\":\"registry.example/app\"},\"image\":{\"docker-manifest-digest\":" +
        "\"sha256:071bf7a986f1ca9cb2a1f0bc8392822a7777f90d58f2d2c6f271913e08de7c81\"},\"type\":\"cosign container image signature\"},\"optional\":null}");
    using var signer = key.CreateSigner();
    var signature = await signer.SignAsync(payload);
    var publicKey = key.PublicKey;

    var rate = Loop(seconds, 200, () =>
    {
        if (!publicKey.Verify(payload, signature))
        {
            throw new InvalidOperationException("benchmark signature did not verify");
        }
    });
    Console.WriteLine(FormattableString.Invariant($"verify-ecdsa-p256 {rate:0}"));
    return 0;
}

static int VerifyBundle(string bundlePath, string rootPath, string artifactPath, string identity, string issuer, double seconds)
{
    var bundle = SigstoreBundle.Parse(File.ReadAllBytes(bundlePath));
    var verifier = new BundleVerifier(TrustedRoot.Parse(File.ReadAllBytes(rootPath)));
    var artifactBytes = File.ReadAllBytes(artifactPath);
    var policy = VerificationPolicy.ForIdentity(new CertificateIdentityPolicy { SubjectAlternativeName = identity, Issuer = issuer });

    // The first verification must pass: a benchmark of a failing path would measure an early exit.
    var first = verifier.Verify(bundle, Artifact.FromBytes(artifactBytes), policy);
    if (!first.IsValid)
    {
        Console.Error.WriteLine($"verify-bundle: {bundlePath} does not verify: {first}");
        return 1;
    }

    var rate = Loop(seconds, 20, () =>
    {
        if (!verifier.Verify(bundle, Artifact.FromBytes(artifactBytes), policy).IsValid)
        {
            throw new InvalidOperationException("benchmark bundle stopped verifying");
        }
    });
    Console.WriteLine(FormattableString.Invariant($"verify-bundle {rate:0.0}"));
    return 0;
}

// Warms up, then counts whole operations (in batches of ten) until the time is up; returns operations per second.
static double Loop(double seconds, int warmUp, Action operation)
{
    for (var i = 0; i < warmUp; i++)
    {
        operation();
    }

    var clock = Stopwatch.StartNew();
    long count = 0;
    while (clock.Elapsed.TotalSeconds < seconds)
    {
        for (var i = 0; i < 10; i++)
        {
            operation();
        }

        count += 10;
    }

    return count / clock.Elapsed.TotalSeconds;
}
