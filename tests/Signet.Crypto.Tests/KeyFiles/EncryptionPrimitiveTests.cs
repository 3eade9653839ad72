using System.Globalization;
using System.Text;
using Signet.Crypto.KeyFiles.Encryption;
using Signet.Testing.Tools;

namespace Signet.Crypto.Tests.KeyFiles;

public class EncryptionPrimitiveTests
{
    /// <summary>RFC 7914 section 12 (the N = 2^20 vector is left out: it needs 1 GiB).</summary>
    public static TheoryData<string, string, int, int, int, string> Rfc7914Vectors => new()
    {
        { "", "", 16, 1, 1, "77d6576238657b203b19ca42c18a0497f16b4844e3074ae8dfdffa3fede21442fcd0069ded0948f8326a753a0fc81f17e8d3e0fb2e0d3628cf35e20c38d18906" },
        { "password", "NaCl", 1024, 8, 16, "fdbabe1c9d3472007856e7190d01e9fe7c6ad7cbc8237830e77376634b3731622eaf30d92e22a3886ff109279d9830dac727afb94a83ee6d8360cbdfa2cc0640" },
        { "pleaseletmein", "SodiumChloride", 16384, 8, 1, "7023bdcb3afd7348461c06cd81fd38ebfda8fbba904f8e3ea9b543f6545da1f2d5432955613f0fcf62d49705242a9af9e61e85dc0d651e40dfcf017b45575887" },
    };

    [Theory]
    [MemberData(nameof(Rfc7914Vectors))]
    public void DeriveKey_Rfc7914Vector_Matches(string passphrase, string salt, int n, int r, int p, string expected)
    {
        var key = Scrypt.DeriveKey(Encoding.ASCII.GetBytes(passphrase), Encoding.ASCII.GetBytes(salt), n, r, p, 64);

        Assert.Equal(expected, Convert.ToHexStringLower(key));
    }

    [Fact]
    public void Seal_NaClSecretboxVector_Matches()
    {
        // The crypto_secretbox vector of NaCl's tests/secretbox.c (also libsodium test/default/secretbox.c).
        var key = Convert.FromHexString("1b27556473e985d462cd51197a9a46c76009549eac6474f206c4ee0844f68389");
        var nonce = Convert.FromHexString("69696ee955b62b73cd62bda875fc73d68219e0036b7a0b37");
        var message = Convert.FromHexString(
            "be075fc53c81f2d5cf141316ebeb0c7b5228c52a4c62cbd44b66849b64244ffc" +
            "e5ecbaaf33bd751a1ac728d45e6c61296cdc3c01233561f41db66cce314adb31" +
            "0e3be8250c46f06dceea3a7fa1348057e2f6556ad6b1318a024a838f21af1fde" +
            "048977eb48f59ffd4924ca1c60902e52f0a089bc76897040e082f93776384864" +
            "5e0705");
        var expected =
            "f3ffc7703f9400e52a7dfb4b3d3305d98e993b9f48681273c29650ba32fc76ce" +
            "48332ea7164d96a4476fb8c531a1186ac0dfc17c98dce87b4da7f011ec48c972" +
            "71d2c20f9b928fe2270d6fb863d51738b48eeee314a7cc8ab932164548e526ae" +
            "90224368517acfeabd6bb3732bc0e9da99832b61ca01b6de56244a9e88d5f9b3" +
            "7973f622a43d14a6599b1f654cb45a74e355a5";

        var box = SecretBox.Seal(key, nonce, message);

        Assert.Equal(expected, Convert.ToHexStringLower(box));
        Assert.Equal(message, SecretBox.Open(key, nonce, box));
    }

    [Fact]
    public void Open_AnyFlippedBitOrShortBox_ReturnsNull()
    {
        var key = new byte[32];
        var nonce = new byte[24];
        var box = SecretBox.Seal(key, nonce, "reallyimportant"u8);

        for (var i = 0; i < box.Length; i++)
        {
            var tampered = (byte[])box.Clone();
            tampered[i] ^= 0x40;
            Assert.Null(SecretBox.Open(key, nonce, tampered));
        }

        Assert.Null(SecretBox.Open(key, nonce, box.AsSpan(0, 15)));
        Assert.Null(SecretBox.Open(key, nonce, box.AsSpan(0, box.Length - 1)));
        Assert.Equal(Array.Empty<byte>(), SecretBox.Open(key, nonce, SecretBox.Seal(key, nonce, [])));
    }

    [Fact]
    public void Seal_MatchesPyNaCl_OnRandomInputs()
    {
        // python3-nacl (libsodium) is an independent implementation: it seals the same inputs.
        var random = new Random(7914);
        var cases = Enumerable.Range(0, 12).Select(i =>
        {
            var key = new byte[32];
            var nonce = new byte[24];
            var message = new byte[random.Next(0, 300) + (i == 0 ? 0 : 1)];
            random.NextBytes(key);
            random.NextBytes(nonce);
            random.NextBytes(message);
            return (key, nonce, message);
        }).ToArray();
        var script = """
            import sys, nacl.secret
            for line in sys.argv[1:]:
                k, n, m = (bytes.fromhex(x) for x in line.split(':'))
                print(nacl.secret.SecretBox(k).encrypt(m, n).ciphertext.hex())
            """;

        var output = Tool.Run(Tool.SystemPython, ["-c", script, .. cases.Select(c =>
            string.Create(CultureInfo.InvariantCulture, $"{Convert.ToHexStringLower(c.key)}:{Convert.ToHexStringLower(c.nonce)}:{Convert.ToHexStringLower(c.message)}"))]);

        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(cases.Length, lines.Length);
        for (var i = 0; i < cases.Length; i++)
        {
            Assert.Equal(lines[i], Convert.ToHexStringLower(SecretBox.Seal(cases[i].key, cases[i].nonce, cases[i].message)));
        }
    }

    [Fact]
    public void DeriveKey_MatchesPythonHashlibScrypt()
    {
        var output = Tool.Run(Tool.SystemPython, ["-c",
            "import hashlib; print(hashlib.scrypt(b'pass phrase', salt=bytes(range(32)), n=32768, r=8, p=1, maxmem=1<<28, dklen=32).hex())"]);

        var key = Scrypt.DeriveKey("pass phrase"u8, Enumerable.Range(0, 32).Select(i => (byte)i).ToArray(), 32768, 8, 1, 32);

        Assert.Equal(output.Trim(), Convert.ToHexStringLower(key));
    }
}
