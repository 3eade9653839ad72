using System.Diagnostics;
using System.Formats.Asn1;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using Xunit;

namespace Signet.Testing.Hsm;

/// <summary>A key pair the fixture generates with <c>pkcs11-tool --keypairgen</c>.</summary>
/// <param name="Label">CKA_LABEL of both halves.</param>
/// <param name="IdHex">CKA_ID as hex (<c>01</c>).</param>
/// <param name="KeyType">The pkcs11-tool key type (<c>EC:prime256v1</c>, <c>rsa:2048</c>).</param>
public sealed record SoftHsmKey(string Label, string IdHex, string KeyType)
{
    /// <summary>The id as percent-encoded URI bytes (<c>%01</c>).</summary>
    public string UriId => string.Concat(Convert.FromHexString(IdHex).Select(b => "%" + b.ToString("X2", CultureInfo.InvariantCulture)));
}

/// <summary>
/// SoftHSM2 tokens in a temporary directory, made with the real tools: <see cref="TokenLabel"/> holds the key pairs of
/// <see cref="Keys"/> (plus two with the same label, <see cref="DuplicateLabel"/>), and <see cref="PinTokenLabel"/> holds
/// one key and is only for wrong-PIN tests (login state is per token and process, so a wrong PIN is only reported on a
/// token no one in the process is logged in to). Points <c>SOFTHSM2_CONF</c> at its own config, both for the child tools
/// and (with libc <c>setenv</c>, which the module's <c>getenv</c> sees) for this process, so the user's real tokens are
/// never touched; restores the variable and deletes the directory on dispose. Use one per test collection: the module
/// reads the variable when it is initialised, and the variable is process-wide.
/// </summary>
public sealed partial class SoftHsmFixture : IAsyncLifetime
{
    public const string ConfigVariable = "SOFTHSM2_CONF";
    public const string TokenLabel = "signet-test";
    public const string PinTokenLabel = "signet-pin";
    public const string SoPin = "5678";
    public const string UserPin = "1234";
    public const string DuplicateLabel = "twin";

    /// <summary>The key pairs on <see cref="TokenLabel"/>.</summary>
    public static readonly SoftHsmKey EcP256 = new("ec-p256", "01", "EC:prime256v1");
    public static readonly SoftHsmKey EcP384 = new("ec-p384", "02", "EC:secp384r1");
    public static readonly SoftHsmKey EcP521 = new("ec-p521", "03", "EC:secp521r1");
    public static readonly SoftHsmKey Rsa2048 = new("rsa-2048", "04", "rsa:2048");

    /// <summary>A P-256 key whose label needs percent-encoding in a URI.</summary>
    public static readonly SoftHsmKey EcUnicode = new("release key/ü;1", "a1b2", "EC:prime256v1");

    private static readonly string[] ModuleCandidates =
    [
        "/usr/lib/softhsm/libsofthsm2.so",
        "/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so",
        "/usr/lib/aarch64-linux-gnu/softhsm/libsofthsm2.so",
    ];

    private string? _previousConfig;
    private DirectoryInfo? _directory;

    public static IReadOnlyList<SoftHsmKey> Keys { get; } = [EcP256, EcP384, EcP521, Rsa2048, EcUnicode];

    /// <summary>The absolute path of libsofthsm2.so.</summary>
    public string ModulePath { get; } = ModuleCandidates.FirstOrDefault(File.Exists) ?? "";

    /// <summary>The temporary directory (config, tokens, scratch files).</summary>
    public string Directory => _directory?.FullName ?? throw new InvalidOperationException("the SoftHSM fixture has not been initialised");

    public string ConfigPath => Path.Combine(Directory, "softhsm2.conf");

    public async Task InitializeAsync()
    {
        if (ModulePath.Length == 0)
        {
            throw new InvalidOperationException($"SoftHSM2 is not installed (looked for {string.Join(", ", ModuleCandidates)}); these tests use the real module: apt-get install -y softhsm2 opensc");
        }

        _directory = System.IO.Directory.CreateTempSubdirectory("signet-softhsm-");
        var tokens = _directory.CreateSubdirectory("tokens");
        await File.WriteAllTextAsync(ConfigPath, $"directories.tokendir = {tokens.FullName}\nobjectstore.backend = file\nlog.level = ERROR\nslots.removable = false\n");

        _previousConfig = Environment.GetEnvironmentVariable(ConfigVariable);
        SetProcessVariable(ConfigVariable, ConfigPath);

        Run("softhsm2-util", "--init-token", "--free", "--label", TokenLabel, "--so-pin", SoPin, "--pin", UserPin);
        Run("softhsm2-util", "--init-token", "--free", "--label", PinTokenLabel, "--so-pin", SoPin, "--pin", UserPin);
        foreach (var key in Keys)
        {
            GenerateKey(TokenLabel, key);
        }

        GenerateKey(TokenLabel, new SoftHsmKey(DuplicateLabel, "10", "EC:prime256v1"));
        GenerateKey(TokenLabel, new SoftHsmKey(DuplicateLabel, "11", "EC:prime256v1"));
        GenerateKey(PinTokenLabel, EcP256);
    }

    public Task DisposeAsync()
    {
        SetProcessVariable(ConfigVariable, _previousConfig);
        _directory?.Delete(recursive: true);
        return Task.CompletedTask;
    }

    /// <summary>A signer URI for <paramref name="objectLabel"/> on <paramref name="token"/> with the user PIN and the module path.</summary>
    public string Uri(string objectLabel, string token = TokenLabel, string pin = UserPin) =>
        $"pkcs11:token={Escape(token)};object={Escape(objectLabel)}?module-path={ModulePath}&pin-value={Escape(pin)}";

    /// <summary>The token's serial number as softhsm2-util shows it.</summary>
    public string SerialOf(string token)
    {
        var slots = Run("softhsm2-util", "--show-slots");
        var lines = slots.Split('\n');
        string? serial = null;
        foreach (var line in lines.Select(l => l.Trim()))
        {
            if (line.StartsWith("Serial number:", StringComparison.Ordinal))
            {
                serial = line["Serial number:".Length..].Trim();
            }
            else if (line.StartsWith("Label:", StringComparison.Ordinal) && line["Label:".Length..].Trim() == token)
            {
                return serial ?? throw new InvalidOperationException($"softhsm2-util showed no serial before token '{token}'");
            }
        }

        throw new InvalidOperationException($"softhsm2-util shows no token '{token}':\n{slots}");
    }

    /// <summary>The public key DER (SubjectPublicKeyInfo) <c>pkcs11-tool --read-object --type pubkey</c> writes.</summary>
    public byte[] ReadPublicKeyDer(SoftHsmKey key)
    {
        var output = Path.Combine(Directory, $"pub-{Guid.NewGuid():N}.der");
        RunPkcs11Tool(TokenLabel, "--read-object", "--type", "pubkey", "--id", key.IdHex, "-o", output);
        var der = File.ReadAllBytes(output);
        File.Delete(output);
        return der;
    }

    /// <summary>
    /// An EC public key's SubjectPublicKeyInfo built (with .NET, not Signet's encoder) from the EC_PARAMS and EC_POINT
    /// that <c>pkcs11-tool --list-objects</c> prints. For P-384, where OpenSC 0.23's <c>--read-object --type pubkey</c>
    /// fails with "cannot create EVP_PKEY".
    /// </summary>
    public byte[] EcPublicKeyDerFromListing(SoftHsmKey key)
    {
        var listing = RunPkcs11Tool(TokenLabel, "--list-objects", "--type", "pubkey");
        foreach (var block in listing.Split("Public Key Object", StringSplitOptions.RemoveEmptyEntries))
        {
            var fields = block.Split('\n').Select(l => l.Trim()).Where(l => l.Contains(':', StringComparison.Ordinal))
                .ToDictionary(l => l[..l.IndexOf(':', StringComparison.Ordinal)], l => l[(l.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim());
            if (!fields.TryGetValue("ID", out var id) || !string.Equals(id, key.IdHex, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            var point = Convert.FromHexString(fields["EC_POINT"]);
            var curve = ECCurve.CreateFromOid(new Oid(
                new AsnReader(Convert.FromHexString(fields["EC_PARAMS"]), AsnEncodingRules.DER).ReadObjectIdentifier()));
            var inner = new AsnReader(point, AsnEncodingRules.DER).ReadOctetString();
            var half = (inner.Length - 1) / 2;
            using var ecdsa = ECDsa.Create(new ECParameters
            {
                Curve = curve,
                Q = new ECPoint { X = inner[1..(1 + half)], Y = inner[(1 + half)..] },
            });
            return ecdsa.ExportSubjectPublicKeyInfo();
        }

        throw new InvalidOperationException($"pkcs11-tool lists no public key with id {key.IdHex}:\n{listing}");
    }

    /// <summary>Runs pkcs11-tool on <paramref name="token"/> with the module and a user login.</summary>
    public string RunPkcs11Tool(string token, params string[] arguments) =>
        Run("pkcs11-tool", ["--module", ModulePath, "--token-label", token, "--login", "--pin", UserPin, .. arguments]);

    /// <summary>Runs a tool with this fixture's SOFTHSM2_CONF; fails with its stderr when it fails.</summary>
    public string Run(string tool, params string[] arguments)
    {
        var start = new ProcessStartInfo(tool)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment[ConfigVariable] = ConfigPath;
        start.Environment["LC_ALL"] = "C";
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {tool}");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException($"'{tool}' is not installed; these tests use the real tools: apt-get install -y softhsm2 opensc openssl", e);
        }

        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
            {
                process.Kill();
                throw new TimeoutException($"{tool} did not finish in 2 minutes");
            }

            var output = stdout.GetAwaiter().GetResult();
            var errors = stderr.GetAwaiter().GetResult();
            return process.ExitCode == 0
                ? output
                : throw new InvalidOperationException($"{tool} {string.Join(' ', arguments.Select(a => a == UserPin || a == SoPin ? "***" : a))} exited with {process.ExitCode}: {errors}{output}");
        }
    }

    /// <summary>Percent-encodes everything but unreserved characters (RFC 3986), as bytes of UTF-8.</summary>
    public static string Escape(string value)
    {
        var builder = new StringBuilder();
        foreach (var b in Encoding.UTF8.GetBytes(value))
        {
            if (b is (>= (byte)'a' and <= (byte)'z') or (>= (byte)'A' and <= (byte)'Z') or (>= (byte)'0' and <= (byte)'9') or (byte)'-' or (byte)'.' or (byte)'_' or (byte)'~')
            {
                builder.Append((char)b);
            }
            else
            {
                builder.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }
        }

        return builder.ToString();
    }

    private void GenerateKey(string token, SoftHsmKey key) =>
        RunPkcs11Tool(token, "--keypairgen", "--key-type", key.KeyType, "--label", key.Label, "--id", key.IdHex, "--usage-sign");

    /// <summary>
    /// Sets a variable for managed code and for native code in this process: .NET keeps its own copy of the environment
    /// on Unix, and the PKCS#11 module reads the native one with getenv.
    /// </summary>
    private static void SetProcessVariable(string name, string? value)
    {
        Environment.SetEnvironmentVariable(name, value);
        var rc = value is null ? NativeEnvironment.Unset(name) : NativeEnvironment.Set(name, value, 1);
        if (rc != 0)
        {
            throw new InvalidOperationException($"setenv({name}) failed: errno {Marshal.GetLastPInvokeError()}");
        }
    }

    private static partial class NativeEnvironment
    {
        [LibraryImport("libc.so.6", EntryPoint = "setenv", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
        public static partial int Set(string name, string value, int overwrite);

        [LibraryImport("libc.so.6", EntryPoint = "unsetenv", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
        public static partial int Unset(string name);
    }
}
