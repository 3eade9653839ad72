using System.Text;
using FsCheck;
using FsCheck.Fluent;

namespace Signet.Oci.Tests;

public sealed class DigestTests
{
    // Known vectors (FIPS 180-4 examples and the empty string).
    private const string Sha256Empty = "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    private const string Sha256Abc = "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
    private const string Sha512Empty = "sha512:cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e";
    private const string Sha512Abc = "sha512:ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f";

    [Theory]
    [InlineData(Sha256Empty, "sha256")]
    [InlineData(Sha256Abc, "sha256")]
    [InlineData("sha256:0000000000000000000000000000000000000000000000000000000000000000", "sha256")]
    [InlineData(Sha512Empty, "sha512")]
    [InlineData(Sha512Abc, "sha512")]
    public void Parse_ValidDigest_KeepsAlgorithmAndHex(string text, string algorithm)
    {
        var digest = Digest.Parse(text);

        Assert.Equal(algorithm, digest.Algorithm);
        Assert.Equal(text[(algorithm.Length + 1)..], digest.Encoded);
        Assert.Equal(text, digest.ToString());
        Assert.Equal(digest, Digest.Parse(digest.ToString()));
    }

    /// <summary>input, a fragment the error must contain.</summary>
    public static TheoryData<string?, string> Invalid => new()
    {
        { null, "empty" },
        { "", "empty" },
        { "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", "expected 'algorithm:hex'" },
        { ":e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", "expected 'algorithm:hex'" },
        { "sha256:", "has 0 hex digits; sha256 needs 64" },
        { "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b85", "has 63 hex digits; sha256 needs 64" },
        { "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b8550", "has 65 hex digits; sha256 needs 64" },
        { "sha256:E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855", "must be lowercase hex" },
        { "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b85g", "contains 'g'" },
        { "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b85 ", "contains ' '" },
        { "sha512:" + new string('a', 64), "has 64 hex digits; sha512 needs 128" },
        { "sha384:" + new string('a', 96), "only sha256 and sha512 are supported" },
        { "SHA256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", "only sha256 and sha512 are supported" },
        { "md5:d41d8cd98f00b204e9800998ecf8427e", "only sha256 and sha512 are supported" },
        { "sha256+b64u:LCa0a2j_xo_5m0U8HTBBNBNCLXBkg7-g-YpeiGJm564", "only sha256 and sha512 are supported" },
        { "sha256:sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b8", "hex digits; sha256 needs 64" },
        { "sha512:" + new string('a', 129), "at most 135" },
        { new string('x', 10_000), "at most 135" },
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public void TryParse_InvalidDigest_FailsWithMessage(string? text, string expectedFragment)
    {
        Assert.False(Digest.TryParse(text, out var digest, out var error));
        Assert.Contains(expectedFragment, error, StringComparison.Ordinal);
        Assert.Equal(default, digest);
        if (text is not null)
        {
            var exception = Assert.Throws<FormatException>(() => Digest.Parse(text));
            Assert.Equal(error, exception.Message);
        }
    }

    [Fact]
    public void MaxLength_IsExactlySha512Form()
    {
        Assert.Equal(Digest.MaxLength, Sha512Empty.Length);
        Assert.True(Digest.TryParse(Sha512Empty, out _));
    }

    [Theory]
    [InlineData("", Digest.Sha256, Sha256Empty)]
    [InlineData("abc", Digest.Sha256, Sha256Abc)]
    [InlineData("", Digest.Sha512, Sha512Empty)]
    [InlineData("abc", Digest.Sha512, Sha512Abc)]
    public void Compute_KnownVectors_MatchPublishedHashes(string content, string algorithm, string expected)
    {
        var bytes = Encoding.ASCII.GetBytes(content);

        var digest = Digest.Compute(bytes, algorithm);

        Assert.Equal(expected, digest.ToString());
        Assert.True(digest.Matches(bytes));
        Assert.False(digest.Matches(Encoding.ASCII.GetBytes(content + "x")));
    }

    [Fact]
    public void Compute_DefaultAlgorithm_IsSha256() =>
        Assert.Equal(Sha256Empty, Digest.Compute([]).ToString());

    [Fact]
    public void FromHash_RawHash_EncodesLowercaseHex()
    {
        var hash = Convert.FromHexString("E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855");

        Assert.Equal(Sha256Empty, Digest.FromHash(Digest.Sha256, hash).ToString());
    }

    [Theory]
    [InlineData(Digest.Sha256, 31)]
    [InlineData(Digest.Sha256, 33)]
    [InlineData(Digest.Sha512, 32)]
    public void FromHash_WrongLength_ThrowsNamingBoth(string algorithm, int length)
    {
        var error = Assert.Throws<ArgumentException>(() => Digest.FromHash(algorithm, new byte[length]));

        Assert.Contains(algorithm, error.Message, StringComparison.Ordinal);
        Assert.Contains($"got {length}", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("sha384")]
    [InlineData("md5")]
    [InlineData("SHA256")]
    public void UnsupportedAlgorithm_EveryFactory_ThrowsArgumentException(string algorithm)
    {
        Assert.Throws<ArgumentException>(() => Digest.FromHash(algorithm, new byte[48]));
        Assert.Throws<ArgumentException>(() => Digest.Compute([1, 2, 3], algorithm));
        Assert.Throws<ArgumentException>(() => Digest.CreateHasher(algorithm));
    }

    [Fact]
    public void CreateHasher_Incremental_MatchesCompute()
    {
        var digest = Digest.Parse(Sha512Abc);
        using var hasher = digest.CreateHasher();
        hasher.AppendData("a"u8);
        hasher.AppendData("bc"u8);

        Assert.Equal(digest, Digest.FromHash(digest.Algorithm, hasher.GetHashAndReset()));
    }

    [Fact]
    public void Abbreviated_ShowsAlgorithmAndTwelveDigits() =>
        Assert.Equal("sha256:e3b0c44298fc", Digest.Parse(Sha256Empty).Abbreviated);

    [Fact]
    public void Default_ToStringAndAbbreviated_AreEmpty()
    {
        Assert.Equal(string.Empty, default(Digest).ToString());
        Assert.Equal(string.Empty, default(Digest).Abbreviated);
    }

    [Fact]
    public void Equality_SameText_EqualDifferentAlgorithm_NotEqual()
    {
        Assert.Equal(Digest.Parse(Sha256Empty), Digest.Compute([]));
        Assert.NotEqual(Digest.Compute([]), Digest.Compute([], Digest.Sha512));
    }

    [Fact]
    public void TryParse_RandomText_NeverThrowsAndAcceptsOnlyCanonicalForms()
    {
        var hexish = Gen.Elements("0123456789abcdefABCDEFxyz:+ ".ToCharArray());
        var candidates = Gen.OneOf(
            ArbMap.Default.GeneratorFor<string>(),
            from prefix in Gen.Elements("sha256:", "sha512:", "sha384:", "SHA256:", "", ":")
            from length in Gen.Elements(0, 1, 63, 64, 65, 127, 128, 129)
            from chars in Gen.ArrayOf(hexish, length)
            select prefix + new string(chars));
        var property = Prop.ForAll(candidates.ToArbitrary(), text =>
        {
            if (!Digest.TryParse(text, out var digest, out var error))
            {
                return error.Length > 0;
            }

            return digest.ToString() == text
                && (digest.Algorithm, digest.Encoded.Length) is ("sha256", 64) or ("sha512", 128)
                && digest.Encoded.All(c => c is (>= '0' and <= '9') or (>= 'a' and <= 'f'));
        });

        Check.One(Config.QuickThrowOnFailure.WithMaxTest(2000), property);
    }
}
