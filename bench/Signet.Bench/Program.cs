using System.Diagnostics;
using System.Globalization;
using System.Text;
using Signet.Crypto;
using Signet.Crypto.Keys;

// Usage: Signet.Bench verify-ecdsa-p256 [seconds]
// Verifies one cosign simple-signing payload signature with ECDSA P-256 (SHA-256, DER) in a loop on one thread and
// prints "verify-ecdsa-p256 <verifications per second>", comparable with `openssl speed -seconds N ecdsap256`.
if (args.Length < 1 || args[0] != "verify-ecdsa-p256")
{
    Console.Error.WriteLine("usage: Signet.Bench verify-ecdsa-p256 [seconds]");
    return 2;
}

var seconds = args.Length > 1 ? double.Parse(args[1], CultureInfo.InvariantCulture) : 3;
using var key = PrivateKey.Generate(KeyAlgorithm.EcdsaP256);
var payload = Encoding.UTF8.GetBytes(
    "{\"critical\":{\"identity\":{\"docker-reference\":\"registry.example/app\"},\"image\":{\"docker-manifest-digest\":" +
    "\"sha256:071bf7a986f1ca9cb2a1f0bc8392822a7777f90d58f2d2c6f271913e08de7c81\"},\"type\":\"cosign container image signature\"},\"optional\":null}");
using var signer = key.CreateSigner();
var signature = await signer.SignAsync(payload);
var publicKey = key.PublicKey;

// Warm up, then count whole verifications until the time is up.
for (var i = 0; i < 200; i++)
{
    Verify();
}

var clock = Stopwatch.StartNew();
long count = 0;
while (clock.Elapsed.TotalSeconds < seconds)
{
    for (var i = 0; i < 100; i++)
    {
        Verify();
    }

    count += 100;
}

Console.WriteLine(FormattableString.Invariant($"verify-ecdsa-p256 {count / clock.Elapsed.TotalSeconds:0}"));
return 0;

void Verify()
{
    if (!publicKey.Verify(payload, signature))
    {
        throw new InvalidOperationException("benchmark signature did not verify");
    }
}
