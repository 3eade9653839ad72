using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using Signet.Sigstore.Timestamps;
using Signet.Sigstore.TrustedRoots;
using Signet.Testing;

namespace Signet.Sigstore.Tests.Timestamps;

/// <summary>Timestamps made by the real <c>openssl ts</c> against a test authority (see <see cref="OpenSslTsa"/>).</summary>
public sealed class TimestampVerifierTests : IDisposable
{
    private static readonly byte[] Signature = Encoding.ASCII.GetBytes("a signature over an artifact");

    private readonly OpenSslTsa _tsa = new();

    public void Dispose() => _tsa.Dispose();

    [Theory]
    [InlineData(true, false, "sha256")]
    [InlineData(false, false, "sha256")]
    [InlineData(true, true, "sha256")]
    [InlineData(false, true, "sha384")]
    [InlineData(true, false, "sha512")]
    public void Verify_OpenSslTimestamp_ReturnsItsTime(bool embedCertificate, bool tokenOnly, string digest)
    {
        var before = DateTimeOffset.UtcNow.AddSeconds(-2);
        var stamp = _tsa.Stamp(Signature, embedCertificate, tokenOnly, digest);

        var result = TimestampVerifier.Verify(stamp, Signature, _tsa.Trust());

        Assert.True(result.Result.IsValid, result.Result.ToString());
        Assert.Equal("https://tsa.signet.test", result.Timestamp!.Authority);
        Assert.InRange(result.Timestamp.Time, before, DateTimeOffset.UtcNow.AddSeconds(2));
    }

    [Fact]
    public void Verify_TimestampOverOtherBytes_IsImprintMismatch()
    {
        var stamp = _tsa.Stamp(Encoding.ASCII.GetBytes("another signature"));

        var result = TimestampVerifier.Verify(stamp, Signature, _tsa.Trust());

        Assert.Equal(TimestampCodes.ImprintMismatch, result.Result.Code);
        Assert.Null(result.Timestamp);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Verify_AuthorityNotInTrustedRoot_IsUntrusted(bool embedCertificate)
    {
        using var other = new OpenSslTsa();
        var stamp = other.Stamp(Signature, embedCertificate);

        var result = TimestampVerifier.Verify(stamp, Signature, _tsa.Trust());

        Assert.Equal(TimestampCodes.UntrustedAuthority, result.Result.Code);
    }

    /// <summary>The signer must be the very certificate the trusted root lists, not another one for the same key.</summary>
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Verify_TrustedRootListsAnotherCertificateForTheSameKey_IsUntrusted(bool embedCertificate)
    {
        var stamp = _tsa.Stamp(Signature, embedCertificate);
        var now = DateTimeOffset.UtcNow;
        using var twin = _tsa.IssueLeaf(_tsa.LeafKey, now.AddYears(-1), now.AddYears(1), timeStamping: true);

        var result = TimestampVerifier.Verify(stamp, Signature, _tsa.Trust(certificates: [twin, _tsa.Root]));

        Assert.Equal(TimestampCodes.UntrustedAuthority, result.Result.Code);
    }

    [Fact]
    public void Verify_TrustedRootWithoutAuthorities_IsUntrusted()
    {
        var stamp = _tsa.Stamp(Signature);
        var empty = TrustedRoot.Parse("""{"mediaType": "application/vnd.dev.sigstore.trustedroot+json;version=0.1"}"""u8.ToArray());

        var result = TimestampVerifier.Verify(stamp, Signature, empty);

        Assert.Equal(TimestampCodes.UntrustedAuthority, result.Result.Code);
        Assert.Contains("no timestamp authorities", result.Result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_AuthorityValidityStartsAfterTheTime_IsOutsideAuthorityValidity()
    {
        var stamp = _tsa.Stamp(Signature);

        var result = TimestampVerifier.Verify(stamp, Signature, _tsa.Trust(start: DateTimeOffset.UtcNow.AddDays(1)));

        Assert.Equal(TimestampCodes.OutsideAuthorityValidity, result.Result.Code);
    }

    [Fact]
    public void Verify_AuthorityValidityEndedBeforeTheTime_IsOutsideAuthorityValidity()
    {
        var stamp = _tsa.Stamp(Signature);
        var now = DateTimeOffset.UtcNow;

        var result = TimestampVerifier.Verify(stamp, Signature, _tsa.Trust(start: now.AddYears(-2), end: now.AddDays(-1)));

        Assert.Equal(TimestampCodes.OutsideAuthorityValidity, result.Result.Code);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Verify_SigningCertificateExpiredAtTheTime_IsOutsideCertificateValidity(bool embedCertificate)
    {
        var now = DateTimeOffset.UtcNow;
        using var expired = new OpenSslTsa(now.AddYears(-2), now.AddDays(-1));
        var stamp = expired.Stamp(Signature, embedCertificate);

        var result = TimestampVerifier.Verify(stamp, Signature, expired.Trust(start: now.AddYears(-3)));

        Assert.Equal(TimestampCodes.OutsideCertificateValidity, result.Result.Code);
    }

    [Fact]
    public void Verify_LeafDoesNotChainToListedRoot_IsChainInvalid()
    {
        using var other = new OpenSslTsa();
        var stamp = _tsa.Stamp(Signature);

        var result = TimestampVerifier.Verify(stamp, Signature, _tsa.Trust(certificates: [_tsa.Leaf, other.Root]));

        Assert.Equal(TimestampCodes.ChainInvalid, result.Result.Code);
    }

    /// <summary>A certChain must reach a self-signed root; the leaf alone is not a trust anchor.</summary>
    [Fact]
    public void Verify_AuthorityListsOnlyTheLeaf_IsChainInvalid()
    {
        var stamp = _tsa.Stamp(Signature);

        var result = TimestampVerifier.Verify(stamp, Signature, _tsa.Trust(certificates: [_tsa.Leaf]));

        Assert.Equal(TimestampCodes.ChainInvalid, result.Result.Code);
    }

    [Fact]
    public void Verify_SignatureValueAltered_IsBadSignature()
    {
        var stamp = _tsa.Stamp(Signature, embedCertificate: false);
        // The SignerInfo's signature value is the last element of the token, and so of the response.
        stamp[^1] ^= 0x01;

        var result = TimestampVerifier.Verify(stamp, Signature, _tsa.Trust());

        Assert.Equal(TimestampCodes.BadSignature, result.Result.Code);
    }

    [Fact]
    public void Verify_TimeInsideTstInfoAltered_IsBadSignature()
    {
        var stamp = _tsa.Stamp(Signature, embedCertificate: false);
        var year = Encoding.ASCII.GetBytes(DateTimeOffset.UtcNow.Year.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var at = stamp.AsSpan().IndexOf(year);
        Assert.True(at > 0);
        stamp[at + 3] = (byte)(stamp[at + 3] == '9' ? '8' : stamp[at + 3] + 1);

        var result = TimestampVerifier.Verify(stamp, Signature, _tsa.Trust());

        Assert.Equal(TimestampCodes.BadSignature, result.Result.Code);
    }

    [Fact]
    public void Verify_Empty_IsMalformed() =>
        Assert.Equal(TimestampCodes.Malformed, TimestampVerifier.Verify(ReadOnlyMemory<byte>.Empty, Signature, _tsa.Trust()).Result.Code);

    [Fact]
    public void Verify_OverMaxBytes_IsTooLarge() =>
        Assert.Equal(TimestampCodes.TooLarge, TimestampVerifier.Verify(new byte[TimestampVerifier.MaxBytes + 1], Signature, _tsa.Trust()).Result.Code);

    [Fact]
    public void Verify_Garbage_IsMalformed() =>
        Assert.Equal(TimestampCodes.Malformed, TimestampVerifier.Verify(Encoding.ASCII.GetBytes("not a timestamp at all"), Signature, _tsa.Trust()).Result.Code);

    [Fact]
    public void Verify_Truncated_IsMalformed()
    {
        var stamp = _tsa.Stamp(Signature);

        Assert.Equal(TimestampCodes.Malformed, TimestampVerifier.Verify(stamp.AsMemory(0, stamp.Length - 10), Signature, _tsa.Trust()).Result.Code);
    }

    [Fact]
    public void Verify_TrailingByte_IsMalformed()
    {
        var stamp = _tsa.Stamp(Signature);

        Assert.Equal(TimestampCodes.Malformed, TimestampVerifier.Verify(new byte[][] { stamp, [0x00] }.SelectMany(b => b).ToArray(), Signature, _tsa.Trust()).Result.Code);
    }

    [Fact]
    public void Verify_SignedDataOverOtherContent_IsMalformed()
    {
        var cms = new SignedCms(new System.Security.Cryptography.Pkcs.ContentInfo(Signature));
        cms.ComputeSignature(new CmsSigner(_tsa.Leaf) { PrivateKey = _tsa.LeafKey, IncludeOption = X509IncludeOption.EndCertOnly });

        var result = TimestampVerifier.Verify(cms.Encode(), Signature, _tsa.Trust());

        Assert.Equal(TimestampCodes.Malformed, result.Result.Code);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public void Verify_ResponseStatusNotGranted_IsNotGranted(int status)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            using (writer.PushSequence())
            {
                writer.WriteInteger(status);
            }
        }

        Assert.Equal(TimestampCodes.NotGranted, TimestampVerifier.Verify(writer.Encode(), Signature, _tsa.Trust()).Result.Code);
    }

    [Fact]
    public void Verify_GrantedResponseWithoutToken_IsNotGranted()
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            using (writer.PushSequence())
            {
                writer.WriteInteger(0);
            }
        }

        var result = TimestampVerifier.Verify(writer.Encode(), Signature, _tsa.Trust());

        Assert.Equal(TimestampCodes.NotGranted, result.Result.Code);
        Assert.Contains("no TimeStampToken", result.Result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_MutatedOpenSslResponses_NeverThrowAndNeverChangeTheTime()
    {
        var seeds = new[] { _tsa.Stamp(Signature, embedCertificate: true), _tsa.Stamp(Signature, embedCertificate: false, tokenOnly: true) };
        var root = _tsa.Trust();
        var times = seeds.Select(s => TimestampVerifier.Verify(s, Signature, root).Timestamp!.Time).ToHashSet();

        // Bytes outside the signed TSTInfo (the response status, unsigned CMS fields) may change without effect; the
        // verified time and authority never may.
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(500), Prop.ForAll(Mutation.Of(seeds, 1, 3).ToArbitrary(), (byte[] mutated) =>
        {
            var result = TimestampVerifier.Verify(mutated, Signature, root);
            return result.Result.IsValid
                ? times.Contains(result.Timestamp!.Time) && result.Timestamp.Authority == "https://tsa.signet.test"
                : result.Timestamp is null && result.Result.Code!.StartsWith("TSA", StringComparison.Ordinal);
        }));
    }

    /// <summary>
    /// openssl refuses to sign timestamps with a certificate that lacks timeStamping, so this token is built in process
    /// (see <see cref="InProcessToken"/>).
    /// </summary>
    [Fact]
    public void Verify_SigningCertificateWithoutTimestampingUsage_IsMissingUsage()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var now = DateTimeOffset.UtcNow;
        using var leaf = _tsa.IssueLeaf(key, now.AddYears(-1), now.AddYears(1), timeStamping: false);

        var result = TimestampVerifier.Verify(InProcessToken(leaf, key, SubjectIdentifierType.IssuerAndSerialNumber), Signature, _tsa.Trust(certificates: [leaf, _tsa.Root]));

        Assert.Equal(TimestampCodes.MissingTimestampingUsage, result.Result.Code);
    }

    /// <summary>openssl names the signer by issuer and serial; RFC 5652 also allows the subject key identifier.</summary>
    [Fact]
    public void Verify_SignerNamedByKeyIdentifier_FindsTheTrustedCertificate()
    {
        var token = InProcessToken(_tsa.Leaf, _tsa.LeafKey, SubjectIdentifierType.SubjectKeyIdentifier);

        var result = TimestampVerifier.Verify(token, Signature, _tsa.Trust());

        Assert.True(result.Result.IsValid, result.Result.ToString());
    }

    /// <summary>
    /// A TimeStampToken made with SignedCms: a TSTInfo over SHA-256 of <see cref="Signature"/> and the ESS
    /// signingCertificateV2 attribute (RFC 3161, RFC 5816), no certificates embedded.
    /// </summary>
    private static byte[] InProcessToken(X509Certificate2 leaf, ECDsa key, SubjectIdentifierType signerIdentifier)
    {
        var info = new Rfc3161TimestampTokenInfo(
            new Oid("1.3.6.1.4.1.57264.99.1"),
            new Oid("2.16.840.1.101.3.4.2.1"),
            SHA256.HashData(Signature),
            new byte[] { 0x01 },
            DateTimeOffset.UtcNow.AddSeconds(-1));
        var cms = new SignedCms(new System.Security.Cryptography.Pkcs.ContentInfo(new Oid("1.2.840.113549.1.9.16.1.4"), info.Encode()));
        var essWriter = new AsnWriter(AsnEncodingRules.DER);
        using (essWriter.PushSequence())
        using (essWriter.PushSequence())
        using (essWriter.PushSequence())
        {
            essWriter.WriteOctetString(SHA256.HashData(leaf.RawData));
        }

        var signer = new CmsSigner(signerIdentifier, leaf, key) { IncludeOption = X509IncludeOption.None };
        signer.SignedAttributes.Add(new AsnEncodedData("1.2.840.113549.1.9.16.2.47", essWriter.Encode()));
        cms.ComputeSignature(signer);
        return cms.Encode();
    }
}
