using System.Security.Cryptography;
using System.Text;
using Signet.Crypto.Pkcs11;
using Signet.Testing.Hsm;

namespace Signet.Crypto.Tests.Pkcs11;

[Collection(SoftHsmTests.Name)]
public sealed class Pkcs11SignerTests(SoftHsmFixture hsm)
{
    public static TheoryData<string, KeyAlgorithm> KeysAndAlgorithms => new()
    {
        { SoftHsmFixture.EcP256.Label, KeyAlgorithm.EcdsaP256 },
        { SoftHsmFixture.EcP384.Label, KeyAlgorithm.EcdsaP384 },
        { SoftHsmFixture.EcP521.Label, KeyAlgorithm.EcdsaP521 },
        { SoftHsmFixture.Rsa2048.Label, KeyAlgorithm.Rsa2048 },
    };

    [Theory]
    [MemberData(nameof(KeysAndAlgorithms))]
    public async Task SignAsync_KeyOnToken_VerifiesWithPublicKeyAndOpenssl(string label, KeyAlgorithm algorithm)
    {
        using var signer = await Pkcs11Signer.OpenAsync(hsm.Uri(label));
        var message = Encoding.UTF8.GetBytes($"signet pkcs11 test message for {label}");

        var signature = await signer.SignAsync(message);

        Assert.Equal(algorithm, signer.Algorithm);
        Assert.True(signer.PublicKey.Verify(message, signature));
        Assert.False(signer.PublicKey.Verify([.. message, (byte)'!'], signature));
        Assert.Contains("Verified OK", OpensslVerify(signer.ExportPublicKeyPem(), message, signature, algorithm), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(KeysAndAlgorithms))]
    public async Task ExportPublicKeyPem_KeyOnToken_EqualsPkcs11ToolReadObject(string label, KeyAlgorithm algorithm)
    {
        using var signer = await Pkcs11Signer.OpenAsync(hsm.Uri(label));
        var key = SoftHsmFixture.Keys.Single(k => k.Label == label);

        var expected = key == SoftHsmFixture.EcP384 ? hsm.EcPublicKeyDerFromListing(key) : hsm.ReadPublicKeyDer(key);

        Assert.Equal(algorithm, signer.Algorithm);
        Assert.Equal(expected, signer.PublicKey.SubjectPublicKeyInfo.ToArray());
        Assert.Equal(PemEncoding.WriteString("PUBLIC KEY", expected), signer.ExportPublicKeyPem());
    }

    [Fact]
    public async Task SignAsync_EcdsaSignature_IsDerNotRawRs()
    {
        using var signer = await Pkcs11Signer.OpenAsync(hsm.Uri(SoftHsmFixture.EcP256.Label));

        var signature = await signer.SignAsync("der"u8.ToArray());

        Assert.Equal(0x30, signature[0]);
        Assert.InRange(signature.Length, 8, 72);
    }

    [Fact]
    public async Task OpenAsync_IdOnlyAndSerialAndSlot_FindsSameKey()
    {
        using var byLabel = await Pkcs11Signer.OpenAsync(hsm.Uri(SoftHsmFixture.EcP384.Label));
        var serial = hsm.SerialOf(SoftHsmFixture.TokenLabel);
        var uri = $"pkcs11:serial={serial};slot-id={byLabel.Token.SlotId};id={SoftHsmFixture.EcP384.UriId};type=private" +
                  $"?module-path={hsm.ModulePath}&pin-value={SoftHsmFixture.UserPin}";

        using var byId = await Pkcs11Signer.OpenAsync(uri);
        var signature = await byId.SignAsync("by id"u8.ToArray());

        Assert.Equal(serial, byId.Token.SerialNumber);
        Assert.Equal(SoftHsmFixture.EcP384.Label, byId.KeyLabel);
        Assert.Equal(Convert.FromHexString(SoftHsmFixture.EcP384.IdHex), byId.KeyId);
        Assert.Equal(byLabel.PublicKey.SubjectPublicKeyInfo.ToArray(), byId.PublicKey.SubjectPublicKeyInfo.ToArray());
        Assert.True(byLabel.PublicKey.Verify("by id"u8, signature));
    }

    [Fact]
    public async Task OpenAsync_PercentEncodedUtf8Label_FindsKey()
    {
        using var signer = await Pkcs11Signer.OpenAsync(hsm.Uri(SoftHsmFixture.EcUnicode.Label));

        var signature = await signer.SignAsync("unicode"u8.ToArray());

        Assert.Equal(SoftHsmFixture.EcUnicode.Label, signer.KeyLabel);
        Assert.True(signer.PublicKey.Verify("unicode"u8, signature));
    }

    [Fact]
    public async Task OpenAsync_WrongPin_ThrowsPinIncorrect()
    {
        var uri = hsm.Uri(SoftHsmFixture.EcP256.Label, token: SoftHsmFixture.PinTokenLabel, pin: "0000");

        var error = await Assert.ThrowsAsync<Pkcs11Exception>(() => Pkcs11Signer.OpenAsync(uri));

        Assert.Equal("C_Login", error.Function);
        Assert.Equal("CKR_PIN_INCORRECT", error.ReturnValueName);
        Assert.StartsWith("C_Login failed: CKR_PIN_INCORRECT", error.Message, StringComparison.Ordinal);
        Assert.Contains(SoftHsmFixture.PinTokenLabel, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("0000", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenAsync_UnknownToken_ListsTokensPresent()
    {
        var error = await Assert.ThrowsAsync<Pkcs11Exception>(() => Pkcs11Signer.OpenAsync(hsm.Uri(SoftHsmFixture.EcP256.Label, token: "no-such-token")));

        Assert.Contains("no token matches token='no-such-token'", error.Message, StringComparison.Ordinal);
        Assert.Contains($"token '{SoftHsmFixture.TokenLabel}'", error.Message, StringComparison.Ordinal);
        Assert.Contains($"token '{SoftHsmFixture.PinTokenLabel}'", error.Message, StringComparison.Ordinal);
        Assert.Null(error.Function);
        Assert.DoesNotContain("token ''", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenAsync_UnknownObject_ListsPrivateKeys()
    {
        var error = await Assert.ThrowsAsync<Pkcs11Exception>(() => Pkcs11Signer.OpenAsync(hsm.Uri("no-such-key")));

        Assert.Contains("no private key matches object='no-such-key'", error.Message, StringComparison.Ordinal);
        Assert.Contains("object='ec-p256' id=%01 (EC)", error.Message, StringComparison.Ordinal);
        Assert.Contains("object='rsa-2048' id=%04 (RSA)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenAsync_DuplicateLabel_ThrowsListingMatches()
    {
        var error = await Assert.ThrowsAsync<Pkcs11Exception>(() => Pkcs11Signer.OpenAsync(hsm.Uri(SoftHsmFixture.DuplicateLabel)));

        Assert.Contains("2 private keys match object='twin'", error.Message, StringComparison.Ordinal);
        Assert.Contains("id=%10", error.Message, StringComparison.Ordinal);
        Assert.Contains("id=%11", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenAsync_DuplicateLabelWithId_PicksThatKey()
    {
        var uri = $"pkcs11:token={SoftHsmFixture.TokenLabel};object={SoftHsmFixture.DuplicateLabel};id=%11?module-path={hsm.ModulePath}&pin-value={SoftHsmFixture.UserPin}";

        using var signer = await Pkcs11Signer.OpenAsync(uri);

        Assert.Equal([0x11], signer.KeyId);
    }

    [Theory]
    [InlineData(false, "1234\n")]
    [InlineData(true, "1234\r\n")]
    [InlineData(false, "1234")]
    public async Task OpenAsync_PinSourceFile_LogsIn(bool asFileUri, string content)
    {
        var pinFile = Path.Combine(hsm.Directory, $"pin-{Guid.NewGuid():N}");
        await File.WriteAllTextAsync(pinFile, content);
        var source = asFileUri ? "file://" + pinFile : pinFile;
        var uri = $"pkcs11:token={SoftHsmFixture.TokenLabel};object={SoftHsmFixture.EcP256.Label}?module-path={hsm.ModulePath}&pin-source={source}";

        using var signer = await Pkcs11Signer.OpenAsync(uri);
        var signature = await signer.SignAsync("pin file"u8.ToArray());

        Assert.True(signer.PublicKey.Verify("pin file"u8, signature));
        File.Delete(pinFile);
    }

    [Fact]
    public async Task OpenAsync_MissingPinSourceFile_ThrowsNamingFile()
    {
        var missing = Path.Combine(hsm.Directory, "no-such-pin-file");
        var uri = $"pkcs11:token={SoftHsmFixture.TokenLabel};object={SoftHsmFixture.EcP256.Label}?module-path={hsm.ModulePath}&pin-source={missing}";

        var error = await Assert.ThrowsAsync<Pkcs11Exception>(() => Pkcs11Signer.OpenAsync(uri));

        Assert.Contains($"pin-source file '{missing}' could not be read", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenAsync_PinCallback_AskedWithTokenAndLogsIn()
    {
        Pkcs11TokenInfo? asked = null;
        var options = new Pkcs11SignerOptions
        {
            ModulePath = hsm.ModulePath,
            PinCallback = (token, _) =>
            {
                asked = token;
                return ValueTask.FromResult<string?>(SoftHsmFixture.UserPin);
            },
        };

        using var signer = await Pkcs11Signer.OpenAsync($"pkcs11:token={SoftHsmFixture.TokenLabel};object={SoftHsmFixture.EcP256.Label}", options);

        Assert.Equal(SoftHsmFixture.TokenLabel, asked?.Label);
        var signature = await signer.SignAsync("cb"u8.ToArray());
        Assert.True(signer.PublicKey.Verify("cb"u8, signature));
    }

    [Fact]
    public async Task OpenAsync_NoPinAndNoCallback_ThrowsNeedsPin()
    {
        var uri = $"pkcs11:token={SoftHsmFixture.TokenLabel};object={SoftHsmFixture.EcP256.Label}?module-path={hsm.ModulePath}";

        var error = await Assert.ThrowsAsync<Pkcs11Exception>(() => Pkcs11Signer.OpenAsync(uri));

        Assert.Contains("needs a PIN", error.Message, StringComparison.Ordinal);
        Assert.Contains("pin-value", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenAsync_NoModulePath_ThrowsNamingFix()
    {
        var error = await Assert.ThrowsAsync<Pkcs11Exception>(() => Pkcs11Signer.OpenAsync($"pkcs11:token={SoftHsmFixture.TokenLabel};object=x?pin-value=1"));

        Assert.Contains("module-path", error.Message, StringComparison.Ordinal);
        Assert.Contains(Pkcs11SignerOptions.ModulePathVariable, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenAsync_ModuleMissing_ThrowsNamingPath()
    {
        var error = await Assert.ThrowsAsync<Pkcs11Exception>(() => Pkcs11Signer.OpenAsync("pkcs11:token=t;object=k?module-path=/nonexistent/libp11.so"));

        Assert.Contains("'/nonexistent/libp11.so' does not exist", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenAsync_LibraryWithoutFunctionList_ThrowsNotAModule()
    {
        var notAModule = new[] { "/usr/lib/x86_64-linux-gnu/libz.so.1", "/lib/x86_64-linux-gnu/libz.so.1", "/usr/lib/aarch64-linux-gnu/libz.so.1" }.First(File.Exists);

        var error = await Assert.ThrowsAsync<Pkcs11Exception>(() => Pkcs11Signer.OpenAsync($"pkcs11:token=t;object=k?module-path={notAModule}"));

        Assert.Contains("is not a PKCS#11 module", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("pkcs11:token=t?module-path=/m.so", "names no key")]
    [InlineData("pkcs11:object=k?module-path=/m.so", "names no token")]
    [InlineData("pkcs11:token=t;object=k;type=public?module-path=/m.so", "type=public")]
    public async Task OpenAsync_UriMissingWhatASignerNeeds_Throws(string uri, string expected)
    {
        var error = await Assert.ThrowsAsync<Pkcs11Exception>(() => Pkcs11Signer.OpenAsync(uri));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignAsync_TwentyInParallel_AllVerify()
    {
        using var signer = await Pkcs11Signer.OpenAsync(hsm.Uri(SoftHsmFixture.EcP256.Label));
        var messages = Enumerable.Range(0, 20).Select(i => Encoding.UTF8.GetBytes($"parallel message {i}")).ToArray();

        var signatures = await Task.WhenAll(messages.Select(m => Task.Run(() => signer.SignAsync(m))));

        Assert.All(messages.Zip(signatures), pair => Assert.True(signer.PublicKey.Verify(pair.First, pair.Second)));
    }

    [Fact]
    public async Task SignAsync_TwoSignersOnOneTokenOneDisposed_OtherStillSigns()
    {
        using var first = await Pkcs11Signer.OpenAsync(hsm.Uri(SoftHsmFixture.EcP256.Label));
        var second = await Pkcs11Signer.OpenAsync(hsm.Uri(SoftHsmFixture.Rsa2048.Label));
        await Task.WhenAll(first.SignAsync("a"u8.ToArray()), second.SignAsync("b"u8.ToArray()));

        second.Dispose();
        var signature = await first.SignAsync("still logged in"u8.ToArray());

        Assert.True(first.PublicKey.Verify("still logged in"u8, signature));
    }

    [Fact]
    public async Task SignAsync_AfterDispose_ThrowsObjectDisposed()
    {
        var signer = await Pkcs11Signer.OpenAsync(hsm.Uri(SoftHsmFixture.EcP256.Label));
        signer.Dispose();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => signer.SignAsync("late"u8.ToArray()));
    }

    [Fact]
    public async Task Dispose_WhileSigningInParallel_EachSignCompletesOrThrowsDisposed()
    {
        var signer = await Pkcs11Signer.OpenAsync(hsm.Uri(SoftHsmFixture.EcP256.Label));
        var message = "racing dispose"u8.ToArray();
        var signs = Enumerable.Range(0, 20).Select(_ => Task.Run(() => signer.SignAsync(message))).ToArray();

        signer.Dispose();
        var finished = await Task.WhenAll(signs.Select(async t =>
        {
            try
            {
                return await t;
            }
            catch (ObjectDisposedException)
            {
                return null;
            }
        })).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.All(finished.OfType<byte[]>(), signature => Assert.True(signer.PublicKey.Verify(message, signature)));
    }

    private string OpensslVerify(string publicKeyPem, byte[] message, byte[] signature, KeyAlgorithm algorithm)
    {
        var name = Guid.NewGuid().ToString("N");
        var pem = Path.Combine(hsm.Directory, name + ".pub.pem");
        var msg = Path.Combine(hsm.Directory, name + ".msg");
        var sig = Path.Combine(hsm.Directory, name + ".sig");
        File.WriteAllText(pem, publicKeyPem);
        File.WriteAllBytes(msg, message);
        File.WriteAllBytes(sig, signature);
        var digest = "-" + PublicKey.HashOf(algorithm).Name!.ToLowerInvariant();
        try
        {
            return hsm.Run("openssl", "dgst", digest, "-verify", pem, "-signature", sig, msg);
        }
        finally
        {
            File.Delete(pem);
            File.Delete(msg);
            File.Delete(sig);
        }
    }
}
