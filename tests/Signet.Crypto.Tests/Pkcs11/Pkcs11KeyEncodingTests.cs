using System.Formats.Asn1;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Signet.Crypto.Pkcs11;
using Signet.Crypto.Pkcs11.Native;

namespace Signet.Crypto.Tests.Pkcs11;

public sealed class Pkcs11KeyEncodingTests
{
    public static TheoryData<string, KeyAlgorithm> Curves => new()
    {
        { "nistP256", KeyAlgorithm.EcdsaP256 },
        { "nistP384", KeyAlgorithm.EcdsaP384 },
        { "nistP521", KeyAlgorithm.EcdsaP521 },
    };

    [Theory]
    [MemberData(nameof(Curves))]
    public void EcdsaSignatureToDer_RawRs_VerifiesAsDer(string curve, KeyAlgorithm algorithm)
    {
        using var key = ECDsa.Create(ECCurve.CreateFromFriendlyName(curve));
        var hash = PublicKey.HashOf(algorithm);
        for (var i = 0; i < 32; i++)
        {
            var message = BitConverter.GetBytes(i);
            var raw = key.SignData(message, hash, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);

            var der = Pkcs11KeyEncoding.EcdsaSignatureToDer(raw, Pkcs11KeyEncoding.FieldLength(algorithm));

            Assert.True(key.VerifyData(message, der, hash, DSASignatureFormat.Rfc3279DerSequence));
        }
    }

    [Fact]
    public void EcdsaSignatureToDer_LeadingZerosAndHighBits_MinimalIntegers()
    {
        var rs = new byte[64];
        rs[31] = 0x01;        // r = 1
        rs[32] = 0x80;        // s has its high bit set: needs a 0x00 pad byte

        var der = Pkcs11KeyEncoding.EcdsaSignatureToDer(rs, 32);

        Assert.Equal(new byte[] { 0x30, 0x26, 0x02, 0x01, 0x01, 0x02, 0x21, 0x00, 0x80 }, der[..9]);
        Assert.Equal(2 + 3 + 35, der.Length);
    }

    [Fact]
    public void EcdsaSignatureToDer_WrongLength_Throws()
    {
        var error = Assert.Throws<Pkcs11Exception>(() => Pkcs11KeyEncoding.EcdsaSignatureToDer(new byte[63], 32));

        Assert.Contains("expected r||s of 64 bytes", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Curves))]
    public void EcSubjectPublicKeyInfo_DerWrappedOrBarePoint_MatchesDotNet(string curve, KeyAlgorithm algorithm)
    {
        using var key = ECDsa.Create(ECCurve.CreateFromFriendlyName(curve));
        var parameters = key.ExportParameters(includePrivateParameters: false);
        byte[] point = [0x04, .. parameters.Q.X!, .. parameters.Q.Y!];
        var ecParams = new AsnWriter(AsnEncodingRules.DER);
        ecParams.WriteObjectIdentifier(parameters.Curve.Oid.Value!);
        var wrapped = new AsnWriter(AsnEncodingRules.DER);
        wrapped.WriteOctetString(point);

        var fromWrapped = Pkcs11KeyEncoding.EcSubjectPublicKeyInfo(ecParams.Encode(), wrapped.Encode());
        var fromBare = Pkcs11KeyEncoding.EcSubjectPublicKeyInfo(ecParams.Encode(), point);

        Assert.Equal(key.ExportSubjectPublicKeyInfo(), fromWrapped);
        Assert.Equal(fromWrapped, fromBare);
        Assert.Equal(algorithm, PublicKey.FromSubjectPublicKeyInfo(fromWrapped).Algorithm);
    }

    [Theory]
    [InlineData("06082a8648ce3d030101", "04410400", "curve 1.2.840.10045.3.1.1 is not supported")]
    [InlineData("0500", "0441", "not a named curve OID")]
    [InlineData("06082a8648ce3d030107", "0421020000", "is not an uncompressed point")]
    public void EcSubjectPublicKeyInfo_Unsupported_ThrowsNamingProblem(string ecParamsHex, string ecPointHex, string expected)
    {
        var error = Assert.Throws<Pkcs11Exception>(() =>
            Pkcs11KeyEncoding.EcSubjectPublicKeyInfo(Convert.FromHexString(ecParamsHex), Convert.FromHexString(ecPointHex)));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RsaSubjectPublicKeyInfo_ModulusAndExponent_MatchesDotNet()
    {
        using var key = RSA.Create(2048);
        var parameters = key.ExportParameters(includePrivateParameters: false);

        var spki = Pkcs11KeyEncoding.RsaSubjectPublicKeyInfo([0x00, .. parameters.Modulus!], parameters.Exponent!);

        Assert.Equal(key.ExportSubjectPublicKeyInfo(), spki);
    }

    [Fact]
    public void Sha256DigestInfo_Digest_IsRfc8017Encoding()
    {
        var digest = SHA256.HashData("abc"u8);

        var info = Pkcs11KeyEncoding.Sha256DigestInfo(digest);

        Assert.Equal(Convert.FromHexString("3031300d060960864801650304020105000420"), info[..19]);
        Assert.Equal(digest, info[19..]);
    }

    [Fact]
    public void NativeStructs_Lp64Layout_MatchesPkcs11Headers()
    {
        Assert.Equal(208, Unsafe.SizeOf<CkTokenInfo>());
        Assert.Equal(96, (int)Marshal.OffsetOf<CkTokenInfo>(nameof(CkTokenInfo.Flags)));
        Assert.Equal(24, Unsafe.SizeOf<CkAttribute>());
        Assert.Equal(24, Unsafe.SizeOf<CkMechanism>());
        Assert.Equal(48, Unsafe.SizeOf<CkInitializeArgs>());
        Assert.Equal(8, (int)Marshal.OffsetOf<CkFunctionList>(nameof(CkFunctionList.Initialize)));
        Assert.Equal(8 + (8 * 18), (int)Marshal.OffsetOf<CkFunctionList>(nameof(CkFunctionList.Login)));
        Assert.Equal(8 + (8 * 43), (int)Marshal.OffsetOf<CkFunctionList>(nameof(CkFunctionList.Sign)));
    }

    [Theory]
    [InlineData(0x0A0u, "CKR_PIN_INCORRECT")]
    [InlineData(0x191u, "CKR_CRYPTOKI_ALREADY_INITIALIZED")]
    [InlineData(0x000u, "CKR_OK")]
    [InlineData(0x80000005u, "CKR_VENDOR_DEFINED+0x5")]
    [InlineData(0x999u, "CKR 0x999")]
    public void Name_ReturnValue_IsHeaderName(uint rv, string expected)
    {
        Assert.Equal(expected, Ckr.Name(rv));
    }
}
