using FsCheck;
using FsCheck.Fluent;
using Signet.Crypto.Pkcs11;

namespace Signet.Crypto.Tests.Pkcs11;

public sealed class Pkcs11UriTests
{
    private const string Module = "/usr/lib/softhsm/libsofthsm2.so";

    [Fact]
    public void Parse_CosignStyleUri_ReadsEveryAttribute()
    {
        var uri = Pkcs11Uri.Parse($"pkcs11:token=lab;slot-id=1885391833;serial=b8bffa07f060cbd9;manufacturer=SoftHSM%20project;model=SoftHSM%20v2;object=lab-ec;id=%01%AB;type=private?module-path={Module}&pin-value=1234");

        Assert.Equal("lab", uri.Token);
        Assert.Equal(1885391833UL, uri.SlotId);
        Assert.Equal("b8bffa07f060cbd9", uri.Serial);
        Assert.Equal("SoftHSM project", uri.Manufacturer);
        Assert.Equal("SoftHSM v2", uri.Model);
        Assert.Equal("lab-ec", uri.ObjectLabel);
        Assert.Equal(new byte[] { 0x01, 0xAB }, uri.Id!.Value.ToArray());
        Assert.Equal(Pkcs11ObjectType.Private, uri.Type);
        Assert.Equal(Module, uri.ModulePath);
        Assert.Equal("1234", uri.PinValue);
        Assert.Null(uri.PinSource);
    }

    public static TheoryData<string, string?, string?, string?> TextValues => new()
    {
        // uri, token, object, pin-value
        { "pkcs11:token=My%20Token;object=key%2F1", "My Token", "key/1", null },
        { "pkcs11:object=caf%C3%A9", null, "café", null },
        { "pkcs11:object=a+b", null, "a+b", null },
        { "pkcs11:object=a&b=c", null, "a&b=c", null },
        { "pkcs11:object=%3B%3F%23", null, ";?#", null },
        { "pkcs11:token=t?pin-value=p%26w/d?|", "t", null, "p&w/d?|" },
        { "PKCS11:token=upper-scheme", "upper-scheme", null, null },
        { "pkcs11:", null, null, null },
        { "pkcs11:?", null, null, null },
        { "pkcs11:token=t?", "t", null, null },
    };

    [Theory]
    [MemberData(nameof(TextValues))]
    public void Parse_PercentEncodedValues_Decodes(string text, string? token, string? objectLabel, string? pin)
    {
        var uri = Pkcs11Uri.Parse(text);

        Assert.Equal(token, uri.Token);
        Assert.Equal(objectLabel, uri.ObjectLabel);
        Assert.Equal(pin, uri.PinValue);
    }

    [Theory]
    [InlineData("pkcs11:id=%00", new byte[] { 0x00 })]
    [InlineData("pkcs11:id=%ff%FE", new byte[] { 0xFF, 0xFE })]
    [InlineData("pkcs11:id=AB", new byte[] { (byte)'A', (byte)'B' })]
    [InlineData("pkcs11:id=%80%C3", new byte[] { 0x80, 0xC3 })]
    public void Parse_Id_IsRawBytes(string text, byte[] expected)
    {
        Assert.Equal(expected, Pkcs11Uri.Parse(text).Id!.Value.ToArray());
    }

    [Theory]
    [InlineData("public", Pkcs11ObjectType.Public)]
    [InlineData("private", Pkcs11ObjectType.Private)]
    [InlineData("cert", Pkcs11ObjectType.Cert)]
    [InlineData("secret-key", Pkcs11ObjectType.SecretKey)]
    [InlineData("data", Pkcs11ObjectType.Data)]
    public void Parse_Type_ReadsEveryClass(string value, Pkcs11ObjectType expected)
    {
        Assert.Equal(expected, Pkcs11Uri.Parse("pkcs11:type=" + value).Type);
    }

    [Theory]
    [InlineData("/run/secrets/pin", "/run/secrets/pin")]
    [InlineData("relative/pin.txt", "relative/pin.txt")]
    [InlineData("file:/run/pin", "/run/pin")]
    [InlineData("file:///run/pin", "/run/pin")]
    [InlineData("file://localhost/run/pin", "/run/pin")]
    [InlineData("file:///run/my%20pin", "/run/my pin")]
    public void Parse_PinSource_ResolvesFilePath(string source, string expectedPath)
    {
        var uri = Pkcs11Uri.Parse("pkcs11:token=t?pin-source=" + source);

        Assert.Equal(expectedPath, uri.PinSourcePath);
    }

    public static TheoryData<string, string?, string> Invalid => new()
    {
        // uri, attribute named, message fragment
        { "token=t", null, "must start with 'pkcs11:'" },
        { "pkcs11x:token=t", null, "must start with 'pkcs11:'" },
        { "pkcs11:token=a;token=b", "token", "more than once" },
        { "pkcs11:id=%01;object=k;id=%02", "id", "more than once" },
        { "pkcs11:token=t?pin-value=1&pin-value=2", "pin-value", "more than once" },
        { "pkcs11:token=t?module-path=/a.so&module-path=/b.so", "module-path", "more than once" },
        { "pkcs11:token=t?pin-value=1&pin-source=/p", "pin-source", "both 'pin-value' and 'pin-source'" },
        { "pkcs11:slot-id=abc", "slot-id", "decimal number" },
        { "pkcs11:slot-id=-1", "slot-id", "decimal number" },
        { "pkcs11:slot-id=99999999999999999999", "slot-id", "decimal number" },
        { "pkcs11:slot-id=%2B1", "slot-id", "decimal number" },
        { "pkcs11:type=secret", "type", "public, private, cert, secret-key or data" },
        { "pkcs11:token=%4", "token", "bad percent-encoding" },
        { "pkcs11:token=%zz", "token", "bad percent-encoding" },
        { "pkcs11:object=a%", "object", "bad percent-encoding" },
        { "pkcs11:object=%FF%FE", "object", "not UTF-8" },
        { "pkcs11:token=my token", "token", "must be percent-encoded" },
        { "pkcs11:object=a/b", "object", "must be percent-encoded" },
        { "pkcs11:object=caf\u00e9", "object", "U+00E9" },
        { "pkcs11:token=", "token", "empty value" },
        { "pkcs11:id=", "id", "empty value" },
        { "pkcs11:token=t;;object=k", null, "stray ';'" },
        { "pkcs11:token=t;", null, "stray ';'" },
        { "pkcs11:token", null, "not name=value" },
        { "pkcs11:=x", null, "not name=value" },
        { "pkcs11:token=t#frag", null, "fragment" },
        { "pkcs11:token=123456789012345678901234567890123", "token", "at most 32" },
        { "pkcs11:serial=12345678901234567", "serial", "at most 16" },
        { "pkcs11:model=12345678901234567", "model", "at most 16" },
        { "pkcs11:library-version=1", "library-version", "not supported" },
        { "pkcs11:slot-description=x", "slot-description", "not supported" },
        { "pkcs11:x-vendor=1", "x-vendor", "unknown PKCS#11 URI path attribute" },
        { "pkcs11:Token=t", "Token", "unknown PKCS#11 URI path attribute" },
        { "pkcs11:token=t?module-name=softhsm2", "module-name", "not supported" },
        { "pkcs11:token=t?pin=1", "pin", "unknown PKCS#11 URI query attribute" },
        { "pkcs11:token=t?module-path=libsofthsm2.so", "module-path", "absolute path" },
        { "pkcs11:token=t?module-path=./lib.so", "module-path", "absolute path" },
        { "pkcs11:token=t?pin-source=|/bin/echo", "pin-source", "names a command" },
        { "pkcs11:token=t?pin-source=file://host/pin", "pin-source", "remote host" },
        { "pkcs11:token=t?pin-source=file:pin", "pin-source", "without an absolute path" },
        { "pkcs11:token=t?pin-source=https://x/pin", "pin-source", "file path or a file: URI" },
        { "pkcs11:token=t?token=u", "token", "more than once" },
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public void Parse_InvalidUri_ThrowsNamingAttribute(string text, string? attribute, string fragment)
    {
        var error = Assert.Throws<Pkcs11UriFormatException>(() => Pkcs11Uri.Parse(text));

        Assert.Equal(attribute, error.Attribute);
        Assert.Contains(fragment, error.Message, StringComparison.Ordinal);
        if (attribute is not null)
        {
            Assert.Contains($"'{attribute}'", error.Message, StringComparison.Ordinal);
        }

        Assert.False(Pkcs11Uri.TryParse(text, out _));
    }

    [Fact]
    public void Parse_TooLong_Throws()
    {
        var error = Assert.Throws<Pkcs11UriFormatException>(() => Pkcs11Uri.Parse("pkcs11:object=" + new string('a', Pkcs11Uri.MaxLength)));

        Assert.Contains("more than the", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("pkcs11:token=t?pin-value=s3cret%20pin")]
    [InlineData("pkcs11:token=t?pin-value=s3cret%zz")]
    [InlineData("pkcs11:token=t?pin-value=s3cret pin")]
    public void Parse_BadPinValue_MessageDoesNotShowPin(string text)
    {
        if (Pkcs11Uri.TryParse(text, out var uri))
        {
            Assert.DoesNotContain("s3cret", uri.ToString(), StringComparison.Ordinal);
            return;
        }

        var error = Assert.Throws<Pkcs11UriFormatException>(() => Pkcs11Uri.Parse(text));
        Assert.DoesNotContain("s3cret", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("' '", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ToString_WithPinValue_RedactsPin()
    {
        var uri = Pkcs11Uri.Parse($"pkcs11:token=lab;object=lab-ec?module-path={Module}&pin-value=1234");

        var text = uri.ToString();

        Assert.Equal($"pkcs11:token=lab;object=lab-ec?module-path={Module}&pin-value=***", text);
        Assert.DoesNotContain("1234", text, StringComparison.Ordinal);
        Assert.DoesNotContain("1234", $"{uri}", StringComparison.Ordinal);
    }

    [Fact]
    public void ToString_EveryAttribute_CanonicalOrderAndEncoding()
    {
        var uri = Pkcs11Uri.Parse("pkcs11:id=%01%ab;object=release%20key%2F%C3%BC;type=private;slot-id=7;model=m;serial=s;manufacturer=M%20Co;token=a%3Bb?pin-source=file:///run/p%20in&module-path=/opt/p11.so");

        Assert.Equal(
            "pkcs11:token=a%3Bb;manufacturer=M%20Co;serial=s;model=m;slot-id=7;object=release%20key%2F%C3%BC;type=private;id=%01%AB?module-path=/opt/p11.so&pin-source=file:///run/p%20in",
            uri.ToString());
    }

    [Theory]
    [InlineData("pkcs11:token=lab;object=k%3B1;id=%01?module-path=/usr/lib/m.so")]
    [InlineData("pkcs11:serial=0123;slot-id=5;type=public")]
    [InlineData("pkcs11:object=a&b=c+d")]
    [InlineData("pkcs11:token=t?pin-source=/run/pin")]
    public void ToString_WithoutPinValue_RoundTrips(string text)
    {
        var uri = Pkcs11Uri.Parse(text);

        Assert.Equal(uri, Pkcs11Uri.Parse(uri.ToString()));
    }

    [Theory]
    [InlineData("pkcs11:token=t", true)]
    [InlineData("PKCS11:token=t", true)]
    [InlineData("pkcs11", false)]
    [InlineData("/path/cosign.key", false)]
    [InlineData(null, false)]
    public void IsPkcs11Uri_Value_RecognisesScheme(string? value, bool expected)
    {
        Assert.Equal(expected, Pkcs11Uri.IsPkcs11Uri(value));
    }

    [Fact]
    public void TryParse_RandomAndMutatedText_NeverThrowsAndRoundTrips()
    {
        var pieces = Gen.Elements("pkcs11:", "token=", "object=", "id=", "slot-id=", "type=private", "serial=", "?", ";", "&", "%", "%0", "%41",
            "%C3%BC", "module-path=/m.so", "pin-value=", "pin-source=", "file:", "/", "=", "#", "a", "1", " ", "\u00fc", "x-");
        var candidates = Gen.OneOf(
            ArbMap.Default.GeneratorFor<string>(),
            from count in Gen.Choose(0, 12)
            from parts in Gen.ArrayOf(pieces, count)
            select string.Concat(parts));
        var property = Prop.ForAll(candidates.ToArbitrary(), text =>
        {
            if (!Pkcs11Uri.TryParse(text, out var uri))
            {
                return Assert.Throws<Pkcs11UriFormatException>(() => Pkcs11Uri.Parse(text)).Message.Length > 0;
            }

            return uri.PinValue is not null || Pkcs11Uri.Parse(uri.ToString()) == uri;
        });

        Check.One(Config.QuickThrowOnFailure.WithMaxTest(3000), property);
    }
}
