using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Signet.Crypto.Pkcs11.Native;

namespace Signet.Crypto.Pkcs11;

/// <summary>
/// Signs with a private key on a PKCS#11 token (an HSM, a smart card, SoftHSM), chosen by a PKCS#11 URI:
/// the token by <c>token</c> / <c>serial</c> / <c>slot-id</c> (and optionally <c>manufacturer</c>, <c>model</c>),
/// the key by <c>object</c> (CKA_LABEL) and/or <c>id</c> (CKA_ID). The public key comes from the CKO_PUBLIC_KEY object
/// with the same id (or label). Messages are hashed on the host and the token signs the digest: ECDSA P-256/P-384/P-521
/// with CKM_ECDSA (r||s, returned as ASN.1 DER), RSA with CKM_RSA_PKCS over the SHA-256 DigestInfo.
/// <para>
/// One signer holds one session, and PKCS#11 sessions are not thread-safe: <see cref="SignAsync"/> may be called
/// concurrently, and the calls take turns. Login state belongs to the process: signers on the same token share it,
/// and the last one disposed logs out.
/// </para>
/// </summary>
public sealed class Pkcs11Signer : IDigestSigner
{
    private const int MaxListedObjects = 64;

    private readonly Pkcs11Module _module;
    private readonly Pkcs11Session _session;
    private readonly nuint _privateKey;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private int _disposed;

    private Pkcs11Signer(Pkcs11Module module, Pkcs11Session session, nuint privateKey, Pkcs11TokenInfo token, PublicKey publicKey, string? label, byte[] id)
    {
        _module = module;
        _session = session;
        _privateKey = privateKey;
        Token = token;
        PublicKey = publicKey;
        KeyLabel = label;
        KeyId = [.. id];
    }

    public KeyAlgorithm Algorithm => PublicKey.Algorithm;

    public PublicKey PublicKey { get; }

    /// <summary>The token the key is on.</summary>
    public Pkcs11TokenInfo Token { get; }

    /// <summary>The private key's CKA_LABEL, or null when it has none.</summary>
    public string? KeyLabel { get; }

    /// <summary>The private key's CKA_ID (empty when it has none).</summary>
    public IReadOnlyList<byte> KeyId { get; }

    /// <summary>Opens the key a PKCS#11 URI names; see <see cref="OpenAsync(Pkcs11Uri, Pkcs11SignerOptions?, CancellationToken)"/>.</summary>
    public static Task<Pkcs11Signer> OpenAsync(string uri, Pkcs11SignerOptions? options = null, CancellationToken cancellationToken = default) =>
        OpenAsync(Pkcs11Uri.Parse(uri), options, cancellationToken);

    /// <summary>
    /// Loads the module, finds the token and the key, logs in (pin-value, pin-source, then
    /// <see cref="Pkcs11SignerOptions.PinCallback"/>) and reads the public key. Throws <see cref="Pkcs11Exception"/>
    /// naming what failed; when the token or key is not found the message lists the ones that exist.
    /// </summary>
    public static async Task<Pkcs11Signer> OpenAsync(Pkcs11Uri uri, Pkcs11SignerOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(uri);
        options ??= new Pkcs11SignerOptions();
        if (uri.Type is { } type && type != Pkcs11ObjectType.Private)
        {
            throw new Pkcs11Exception($"the PKCS#11 URI has type={type.ToString().ToLowerInvariant()}; a signer needs the private key: use type=private or leave type out");
        }

        if (uri.ObjectLabel is null && uri.Id is null)
        {
            throw new Pkcs11Exception("the PKCS#11 URI names no key: add object=<label> and/or id=<%XX bytes>");
        }

        if (uri.Token is null && uri.Serial is null && uri.SlotId is null)
        {
            throw new Pkcs11Exception("the PKCS#11 URI names no token: add token=<label>, serial=<serial> or slot-id=<n>");
        }

        var modulePath = uri.ModulePath ?? options.ModulePath
            ?? throw new Pkcs11Exception($"the PKCS#11 URI has no module-path: add ?module-path=/absolute/path/to/module.so (or set {Pkcs11SignerOptions.ModulePathVariable})");

        var module = Pkcs11Module.Open(modulePath);
        Pkcs11Session? session = null;
        try
        {
            var token = SelectToken(module, uri);
            session = module.OpenSession((nuint)token.SlotId);
            var loggedIn = await LoginAsync(session, token, uri, options, cancellationToken).ConfigureAwait(false);
            var (privateKey, label, id) = FindPrivateKey(session, token, uri, loggedIn);
            var publicKey = ReadPublicKey(session, token, privateKey, label, id);
            return new Pkcs11Signer(module, session, privateKey, token, publicKey, label, id);
        }
        catch
        {
            session?.Dispose();
            module.Dispose();
            throw;
        }
    }

    /// <summary>Hashes <paramref name="message"/> on the host and has the token sign the digest.</summary>
    public Task<byte[]> SignAsync(ReadOnlyMemory<byte> message, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        return SignDigestAsync(CryptographicOperations.HashData(PublicKey.HashOf(Algorithm), message.Span), cancellationToken);
    }

    /// <summary>Always true: the tokens' ECDSA and RSA keys sign digests (hashed on the host).</summary>
    public bool SupportsDigests => true;

    /// <summary>Has the token sign <paramref name="digest"/> (the <see cref="PublicKey.HashOf(KeyAlgorithm)"/> hash of the message).</summary>
    public async Task<byte[]> SignDigestAsync(ReadOnlyMemory<byte> digest, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        var algorithm = Algorithm;
        PublicKey.RequireDigestLength(PublicKey.HashOf(algorithm), digest.Span);
        var isEcdsa = algorithm is KeyAlgorithm.EcdsaP256 or KeyAlgorithm.EcdsaP384 or KeyAlgorithm.EcdsaP521;
        var mechanism = isEcdsa ? Ck.CkmEcdsa : Ck.CkmRsaPkcs;
        var input = isEcdsa ? digest.ToArray() : Pkcs11KeyEncoding.Sha256DigestInfo(digest.Span);
        var expectedLength = isEcdsa ? 2 * Pkcs11KeyEncoding.FieldLength(algorithm) : RsaModulusLength(algorithm);

        byte[] signature;
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
            signature = _session.Sign(mechanism, _privateKey, input, expectedLength);
        }
        finally
        {
            _gate.Release();
        }

        if (isEcdsa)
        {
            return Pkcs11KeyEncoding.EcdsaSignatureToDer(signature, Pkcs11KeyEncoding.FieldLength(algorithm));
        }

        return signature.Length == expectedLength
            ? signature
            : throw new Pkcs11Exception($"{Token} returned a {signature.Length}-byte RSA signature; expected {expectedLength} bytes");
    }

    /// <summary>The public key as a <c>PUBLIC KEY</c> PEM (what <c>signet public-key --key pkcs11:...</c> prints).</summary>
    public string ExportPublicKeyPem() => PublicKey.ToPem();

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        // Wait for a signature in flight; signers queued behind this see _disposed and throw. The gate is never
        // disposed (it has no wait handle), so late callers get ObjectDisposedException rather than a hang.
        _gate.Wait();
        try
        {
            _session.Dispose();
            _module.Dispose();
        }
        finally
        {
            _gate.Release();
        }
    }

    private static int RsaModulusLength(KeyAlgorithm algorithm) => algorithm switch
    {
        KeyAlgorithm.Rsa2048 => 256,
        KeyAlgorithm.Rsa3072 => 384,
        KeyAlgorithm.Rsa4096 => 512,
        _ => throw new Pkcs11Exception($"{algorithm} keys cannot sign through PKCS#11 in Signet"),
    };

    private static Pkcs11TokenInfo SelectToken(Pkcs11Module module, Pkcs11Uri uri)
    {
        // SoftHSM and others keep a free slot with an uninitialised token; it can hold no keys.
        var tokens = module.GetSlotsWithTokens().Select(module.GetTokenInfo).Where(t => t.Initialized).ToList();
        var matching = tokens.Where(t =>
            (uri.Token is null || t.Label == uri.Token) &&
            (uri.Serial is null || t.SerialNumber == uri.Serial) &&
            (uri.SlotId is null || t.SlotId == uri.SlotId) &&
            (uri.Manufacturer is null || t.ManufacturerId == uri.Manufacturer) &&
            (uri.Model is null || t.Model == uri.Model)).ToList();

        var wanted = DescribeTokenFilter(uri);
        return matching.Count switch
        {
            1 => matching[0],
            0 => throw new Pkcs11Exception($"no token matches {wanted} in PKCS#11 module '{module.Path}'; {ListTokens(tokens)}"),
            _ => throw new Pkcs11Exception($"{matching.Count} tokens match {wanted}; add serial= or slot-id= to choose one: {string.Join("; ", matching)}"),
        };
    }

    private static string DescribeTokenFilter(Pkcs11Uri uri)
    {
        var parts = new List<string>();
        if (uri.Token is not null)
        {
            parts.Add($"token='{uri.Token}'");
        }

        if (uri.Serial is not null)
        {
            parts.Add($"serial='{uri.Serial}'");
        }

        if (uri.SlotId is { } slot)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"slot-id={slot}"));
        }

        if (uri.Manufacturer is not null)
        {
            parts.Add($"manufacturer='{uri.Manufacturer}'");
        }

        if (uri.Model is not null)
        {
            parts.Add($"model='{uri.Model}'");
        }

        return string.Join(", ", parts);
    }

    private static string ListTokens(List<Pkcs11TokenInfo> tokens) =>
        tokens.Count == 0 ? "the module has no tokens (initialise one first)" : "tokens present: " + string.Join("; ", tokens);

    private static async Task<bool> LoginAsync(Pkcs11Session session, Pkcs11TokenInfo token, Pkcs11Uri uri, Pkcs11SignerOptions options, CancellationToken cancellationToken)
    {
        var pin = uri.PinValue is { } value ? Encoding.UTF8.GetBytes(value)
            : uri.PinSourcePath is { } path ? await ReadPinFileAsync(path, cancellationToken).ConfigureAwait(false)
            : null;
        if (pin is null && token.ProtectedAuthenticationPath)
        {
            session.Login([], protectedAuthenticationPath: true, token.ToString());
            return true;
        }

        if (pin is null && options.PinCallback is { } callback && token.LoginRequired)
        {
            var answer = await callback(token, cancellationToken).ConfigureAwait(false)
                ?? throw new OperationCanceledException($"no PIN was given for {token}");
            pin = Encoding.UTF8.GetBytes(answer);
        }

        if (pin is null)
        {
            return token.LoginRequired
                ? throw new Pkcs11Exception($"{token} needs a PIN to use its private keys: add pin-value=... or pin-source=<file> to the URI")
                : false;
        }

        try
        {
            session.Login(pin, protectedAuthenticationPath: false, token.ToString());
            return true;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(pin);
        }
    }

    private static async Task<byte[]> ReadPinFileAsync(string path, CancellationToken cancellationToken)
    {
        byte[] content;
        try
        {
            var length = new FileInfo(path).Length;
            if (length > Pkcs11Uri.MaxPinFileLength)
            {
                throw new Pkcs11Exception($"pin-source file '{path}' is {length} bytes; a PIN file holds the PIN on one line (at most {Pkcs11Uri.MaxPinFileLength} bytes)");
            }

            content = await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new Pkcs11Exception($"pin-source file '{path}' could not be read: {e.Message}", e);
        }

        var end = content.Length;
        while (end > 0 && content[end - 1] is (byte)'\n' or (byte)'\r')
        {
            end--;
        }

        var pin = content[..end];
        CryptographicOperations.ZeroMemory(content);
        return pin;
    }

    private static (nuint Handle, string? Label, byte[] Id) FindPrivateKey(Pkcs11Session session, Pkcs11TokenInfo token, Pkcs11Uri uri, bool loggedIn)
    {
        var template = new List<Pkcs11Attribute> { Pkcs11Attribute.ULong(Ck.CkaClass, Ck.CkoPrivateKey) };
        if (uri.ObjectLabel is not null)
        {
            template.Add(new Pkcs11Attribute(Ck.CkaLabel, Encoding.UTF8.GetBytes(uri.ObjectLabel)));
        }

        if (uri.Id is { } id)
        {
            template.Add(new Pkcs11Attribute(Ck.CkaId, [.. id]));
        }

        var found = session.FindObjects(template.ToArray(), max: MaxListedObjects);
        var wanted = DescribeKeyFilter(uri.ObjectLabel, uri.Id is { } wantedId ? [.. wantedId] : null);
        if (found.Count == 1)
        {
            var handle = found[0];
            return (handle, Label(session, handle), session.GetAttribute(handle, Ck.CkaId) ?? []);
        }

        if (found.Count > 1)
        {
            throw new Pkcs11Exception($"{found.Count} private keys match {wanted} on {token}; add id= (or a distinct object=) to choose one: {DescribeObjects(session, found)}");
        }

        var all = session.FindObjects([Pkcs11Attribute.ULong(Ck.CkaClass, Ck.CkoPrivateKey)], MaxListedObjects);
        var listing = all.Count == 0
            ? "the token has no private keys" + (loggedIn ? "" : " visible without a login (give a PIN)")
            : "private keys present: " + DescribeObjects(session, all);
        throw new Pkcs11Exception($"no private key matches {wanted} on {token}; {listing}");
    }

    private static PublicKey ReadPublicKey(Pkcs11Session session, Pkcs11TokenInfo token, nuint privateKey, string? label, byte[] id)
    {
        var keyType = session.GetULongAttribute(privateKey, Ck.CkaKeyType);
        if (keyType is not (Ck.CkkEc or Ck.CkkRsa))
        {
            throw new Pkcs11Exception($"private key {DescribeKeyFilter(label, id)} on {token} is of CKK type {keyType?.ToString(CultureInfo.InvariantCulture) ?? "unknown"}; Signet signs with EC and RSA keys");
        }

        var template = new List<Pkcs11Attribute> { Pkcs11Attribute.ULong(Ck.CkaClass, Ck.CkoPublicKey), Pkcs11Attribute.ULong(Ck.CkaKeyType, keyType.Value) };
        if (id.Length > 0)
        {
            template.Add(new Pkcs11Attribute(Ck.CkaId, id));
        }
        else if (label is not null)
        {
            template.Add(new Pkcs11Attribute(Ck.CkaLabel, Encoding.UTF8.GetBytes(label)));
        }
        else
        {
            throw new Pkcs11Exception($"the private key on {token} has neither CKA_ID nor CKA_LABEL, so its public key cannot be found");
        }

        var found = session.FindObjects(template.ToArray(), max: 2);
        var source = found.Count switch
        {
            1 => found[0],
            0 when keyType == Ck.CkkRsa => privateKey, // RSA private keys carry the modulus and public exponent
            0 => throw new Pkcs11Exception($"no public key object with {DescribeKeyFilter(id.Length > 0 ? null : label, id.Length > 0 ? id : null)} on {token}; import the public key next to the private key (pkcs11-tool --write-object <pub.der> --type pubkey --id ...)"),
            _ => throw new Pkcs11Exception($"more than one public key object has {DescribeKeyFilter(id.Length > 0 ? null : label, id.Length > 0 ? id : null)} on {token}; give each key pair its own CKA_ID"),
        };

        byte[] spki;
        if (keyType == Ck.CkkEc)
        {
            var ecParams = session.GetAttribute(source, Ck.CkaEcParams) ?? throw new Pkcs11Exception($"the EC public key on {token} has no CKA_EC_PARAMS");
            var ecPoint = session.GetAttribute(source, Ck.CkaEcPoint) ?? throw new Pkcs11Exception($"the EC public key on {token} has no CKA_EC_POINT");
            spki = Pkcs11KeyEncoding.EcSubjectPublicKeyInfo(ecParams, ecPoint);
        }
        else
        {
            var modulus = session.GetAttribute(source, Ck.CkaModulus) ?? throw new Pkcs11Exception($"the RSA key on {token} does not reveal CKA_MODULUS");
            var exponent = session.GetAttribute(source, Ck.CkaPublicExponent) ?? throw new Pkcs11Exception($"the RSA key on {token} does not reveal CKA_PUBLIC_EXPONENT");
            spki = Pkcs11KeyEncoding.RsaSubjectPublicKeyInfo(modulus, exponent);
        }

        try
        {
            return PublicKey.FromSubjectPublicKeyInfo(spki);
        }
        catch (CryptographicException e)
        {
            throw new Pkcs11Exception($"the public key of {DescribeKeyFilter(label, id)} on {token} is not usable: {e.Message}", e);
        }
    }

    private static string? Label(Pkcs11Session session, nuint handle) =>
        session.GetAttribute(handle, Ck.CkaLabel, maxLength: 1024) is { } bytes ? Encoding.UTF8.GetString(bytes) : null;

    private static string DescribeObjects(Pkcs11Session session, List<nuint> handles) =>
        string.Join(", ", handles.Select(h =>
        {
            var type = session.GetULongAttribute(h, Ck.CkaKeyType) switch
            {
                Ck.CkkEc => "EC",
                Ck.CkkRsa => "RSA",
                { } other => string.Create(CultureInfo.InvariantCulture, $"CKK 0x{other:X}"),
                null => "unknown type",
            };
            return $"{DescribeKeyFilter(Label(session, h), session.GetAttribute(h, Ck.CkaId, maxLength: 1024) ?? [])} ({type})";
        }));

    private static string DescribeKeyFilter(string? label, byte[]? id)
    {
        var parts = new List<string>();
        if (label is not null)
        {
            parts.Add($"object='{label}'");
        }

        if (id is { Length: > 0 })
        {
            parts.Add("id=" + string.Concat(id.Select(b => "%" + b.ToString("X2", CultureInfo.InvariantCulture))));
        }

        return parts.Count == 0 ? "(no label or id)" : string.Join(" ", parts);
    }
}
