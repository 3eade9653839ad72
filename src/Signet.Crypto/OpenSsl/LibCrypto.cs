using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Win32.SafeHandles;

namespace Signet.Crypto.OpenSsl;

/// <summary>
/// P/Invoke declarations for the system OpenSSL 3 libcrypto, the library .NET itself uses for cryptography on Linux.
/// Only the EVP calls that Ed25519 needs are declared. The import names the soname directly instead of installing a
/// DllImport resolver, so the assembly's single resolver slot stays free (the PKCS#11 code loads its modules itself).
/// <see cref="EnsureAvailable"/> turns a missing library into a message that says what to install.
/// </summary>
internal static partial class LibCrypto
{
    internal const string LibraryName = "libcrypto.so.3";

    /// <summary>NID_ED25519 / EVP_PKEY_ED25519 (obj_mac.h).</summary>
    internal const int EvpPKeyEd25519 = 1087;

    private static readonly Lock Gate = new();
    private static bool _loaded;

    /// <summary>Loads libcrypto once; throws a <see cref="DllNotFoundException"/> that says what to install when it is missing.</summary>
    internal static void EnsureAvailable()
    {
        lock (Gate)
        {
            if (_loaded)
            {
                return;
            }

            if (!NativeLibrary.TryLoad(LibraryName, typeof(LibCrypto).Assembly, DllImportSearchPath.SafeDirectories, out _))
            {
                throw new DllNotFoundException(
                    $"OpenSSL 3 ({LibraryName}) could not be loaded; Ed25519 keys need it. " +
                    "Install it (Debian/Ubuntu: apt-get install libssl3; Fedora: dnf install openssl-libs).");
            }

            _loaded = true;
        }
    }

    /// <summary>
    /// Drains OpenSSL's per-thread error queue into one message ("what: reason; reason"). .NET shares the queue on this
    /// thread, so every failing call is followed by a drain and every call sequence starts with <see cref="ERR_clear_error"/>.
    /// </summary>
    internal static string TakeErrors()
    {
        var builder = new StringBuilder();
        Span<byte> buffer = stackalloc byte[256];
        for (var i = 0; i < 16; i++)
        {
            var code = ERR_get_error();
            if (code == 0)
            {
                break;
            }

            buffer.Clear();
            ERR_error_string_n(code, buffer, (nuint)buffer.Length);
            var end = buffer.IndexOf((byte)0);
            if (builder.Length > 0)
            {
                builder.Append("; ");
            }

            builder.Append(Encoding.UTF8.GetString(end < 0 ? buffer : buffer[..end]));
        }

        ERR_clear_error();
        return builder.Length == 0 ? "no OpenSSL error reported" : builder.ToString();
    }

    /// <summary>A <see cref="CryptographicException"/> for a failed call, carrying OpenSSL's error strings.</summary>
    internal static CryptographicException Failure(string operation) =>
        new($"OpenSSL {operation} failed: {TakeErrors()}");

    [LibraryImport(LibraryName)]
    internal static partial nuint ERR_get_error();

    [LibraryImport(LibraryName)]
    internal static partial void ERR_clear_error();

    [LibraryImport(LibraryName)]
    internal static partial void ERR_error_string_n(nuint code, Span<byte> buffer, nuint length);

    [LibraryImport(LibraryName)]
    internal static partial void EVP_PKEY_free(nint key);

    [LibraryImport(LibraryName)]
    internal static partial int EVP_PKEY_get_id(EvpPKeyHandle key);

    [LibraryImport(LibraryName)]
    internal static partial EvpPKeyHandle EVP_PKEY_new_raw_private_key(int type, nint engine, ReadOnlySpan<byte> key, nuint length);

    [LibraryImport(LibraryName)]
    internal static partial EvpPKeyHandle EVP_PKEY_new_raw_public_key(int type, nint engine, ReadOnlySpan<byte> key, nuint length);

    [LibraryImport(LibraryName)]
    internal static partial int EVP_PKEY_get_raw_private_key(EvpPKeyHandle key, Span<byte> buffer, ref nuint length);

    [LibraryImport(LibraryName)]
    internal static partial int EVP_PKEY_get_raw_public_key(EvpPKeyHandle key, Span<byte> buffer, ref nuint length);

    [LibraryImport(LibraryName)]
    internal static unsafe partial EvpPKeyHandle d2i_PUBKEY(nint reuse, byte** input, nint length);

    [LibraryImport(LibraryName)]
    internal static unsafe partial EvpPKeyHandle d2i_AutoPrivateKey(nint reuse, byte** input, nint length);

    [LibraryImport(LibraryName)]
    internal static unsafe partial int i2d_PUBKEY(EvpPKeyHandle key, byte** output);

    [LibraryImport(LibraryName)]
    internal static unsafe partial int i2d_PrivateKey(EvpPKeyHandle key, byte** output);

    [LibraryImport(LibraryName)]
    internal static partial EvpPKeyContextHandle EVP_PKEY_CTX_new_id(int type, nint engine);

    [LibraryImport(LibraryName)]
    internal static partial void EVP_PKEY_CTX_free(nint context);

    [LibraryImport(LibraryName)]
    internal static partial int EVP_PKEY_keygen_init(EvpPKeyContextHandle context);

    [LibraryImport(LibraryName)]
    internal static partial int EVP_PKEY_keygen(EvpPKeyContextHandle context, out EvpPKeyHandle key);

    [LibraryImport(LibraryName)]
    internal static partial EvpMdContextHandle EVP_MD_CTX_new();

    [LibraryImport(LibraryName)]
    internal static partial void EVP_MD_CTX_free(nint context);

    [LibraryImport(LibraryName)]
    internal static partial int EVP_DigestSignInit(EvpMdContextHandle context, nint keyContext, nint digest, nint engine, EvpPKeyHandle key);

    [LibraryImport(LibraryName)]
    internal static partial int EVP_DigestSign(EvpMdContextHandle context, Span<byte> signature, ref nuint signatureLength, ReadOnlySpan<byte> message, nuint messageLength);

    [LibraryImport(LibraryName)]
    internal static partial int EVP_DigestVerifyInit(EvpMdContextHandle context, nint keyContext, nint digest, nint engine, EvpPKeyHandle key);

    [LibraryImport(LibraryName)]
    internal static partial int EVP_DigestVerify(EvpMdContextHandle context, ReadOnlySpan<byte> signature, nuint signatureLength, ReadOnlySpan<byte> message, nuint messageLength);
}

/// <summary>An owned EVP_PKEY*.</summary>
internal sealed class EvpPKeyHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    public EvpPKeyHandle()
        : base(ownsHandle: true)
    {
    }

    protected override bool ReleaseHandle()
    {
        LibCrypto.EVP_PKEY_free(handle);
        return true;
    }
}

/// <summary>An owned EVP_PKEY_CTX*.</summary>
internal sealed class EvpPKeyContextHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    public EvpPKeyContextHandle()
        : base(ownsHandle: true)
    {
    }

    protected override bool ReleaseHandle()
    {
        LibCrypto.EVP_PKEY_CTX_free(handle);
        return true;
    }
}

/// <summary>An owned EVP_MD_CTX*.</summary>
internal sealed class EvpMdContextHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    public EvpMdContextHandle()
        : base(ownsHandle: true)
    {
    }

    protected override bool ReleaseHandle()
    {
        LibCrypto.EVP_MD_CTX_free(handle);
        return true;
    }
}
