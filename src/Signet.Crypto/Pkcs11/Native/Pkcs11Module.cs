using System.Runtime.InteropServices;

namespace Signet.Crypto.Pkcs11.Native;

/// <summary>
/// CK_FUNCTION_LIST up to C_Sign, in pkcs11f.h order: a CK_VERSION (padded to pointer alignment) and one function
/// pointer per function. The binding only reads through a pointer the module owns, so the tail it does not use
/// need not be declared.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal struct CkFunctionList
{
    public CkVersion Version;
    public nint Initialize;
    public nint Finalize;
    public nint GetInfo;
    public nint GetFunctionList;
    public nint GetSlotList;
    public nint GetSlotInfo;
    public nint GetTokenInfo;
    public nint GetMechanismList;
    public nint GetMechanismInfo;
    public nint InitToken;
    public nint InitPin;
    public nint SetPin;
    public nint OpenSession;
    public nint CloseSession;
    public nint CloseAllSessions;
    public nint GetSessionInfo;
    public nint GetOperationState;
    public nint SetOperationState;
    public nint Login;
    public nint Logout;
    public nint CreateObject;
    public nint CopyObject;
    public nint DestroyObject;
    public nint GetObjectSize;
    public nint GetAttributeValue;
    public nint SetAttributeValue;
    public nint FindObjectsInit;
    public nint FindObjects;
    public nint FindObjectsFinal;
    public nint EncryptInit;
    public nint Encrypt;
    public nint EncryptUpdate;
    public nint EncryptFinal;
    public nint DecryptInit;
    public nint Decrypt;
    public nint DecryptUpdate;
    public nint DecryptFinal;
    public nint DigestInit;
    public nint Digest;
    public nint DigestUpdate;
    public nint DigestKey;
    public nint DigestFinal;
    public nint SignInit;
    public nint Sign;
}

/// <summary>
/// A loaded and initialised PKCS#11 module. <see cref="Open"/> loads the library once per process (the native handle
/// is shared by every path that resolves to it), calls C_Initialize with <see cref="Ck.CkfOsLockingOk"/> for the first
/// user (CKR_CRYPTOKI_ALREADY_INITIALIZED counts as success: someone else in the process initialised it) and
/// C_Finalize when the last user that initialised it is released. Libraries stay loaded until the process exits:
/// unloading a module that registered exit handlers or threads can crash the process.
/// </summary>
internal sealed unsafe class Pkcs11Module : SafeHandle
{
    /// <summary>The most slots the binding lists (a guard against a module reporting a huge count).</summary>
    public const int MaxSlots = 1024;

    private static readonly Dictionary<nint, Library> Libraries = [];
    private static readonly Lock LibrariesLock = new();

    private readonly Library _library;

    private Pkcs11Module(Library library)
        : base(0, ownsHandle: true)
    {
        _library = library;
        SetHandle((nint)library.Functions);
    }

    public override bool IsInvalid => handle == 0;

    /// <summary>The absolute path the module was loaded from.</summary>
    public string Path => _library.Path;

    internal CkFunctionList* Functions => _library.Functions;

    /// <summary>Loads and initialises the module at <paramref name="modulePath"/> (an absolute path).</summary>
    public static Pkcs11Module Open(string modulePath)
    {
        ArgumentException.ThrowIfNullOrEmpty(modulePath);
        if (OperatingSystem.IsWindows() || nint.Size != 8)
        {
            throw new PlatformNotSupportedException("the PKCS#11 binding supports 64-bit Linux and macOS only (CK_ULONG is 64 bits there and structures use natural alignment)");
        }

        if (!System.IO.Path.IsPathFullyQualified(modulePath))
        {
            throw new Pkcs11Exception($"PKCS#11 module path '{modulePath}' is relative; give the absolute path of the module (a relative name would be searched for on the library path)");
        }

        if (!File.Exists(modulePath))
        {
            throw new Pkcs11Exception($"PKCS#11 module '{modulePath}' does not exist; install the module or fix module-path");
        }

        nint native;
        try
        {
            native = NativeLibrary.Load(modulePath);
        }
        catch (Exception e) when (e is DllNotFoundException or BadImageFormatException)
        {
            throw new Pkcs11Exception($"PKCS#11 module '{modulePath}' could not be loaded: {e.Message}", e);
        }

        lock (LibrariesLock)
        {
            if (!Libraries.TryGetValue(native, out var library))
            {
                library = new Library(modulePath, native, GetFunctionList(modulePath, native));
                Libraries.Add(native, library);
            }

            if (library.Users == 0)
            {
                var args = new CkInitializeArgs { Flags = Ck.CkfOsLockingOk };
                var rv = ((delegate* unmanaged<CkInitializeArgs*, nuint>)library.Functions->Initialize)(&args);
                if (rv is not Ckr.Ok and not Ckr.CryptokiAlreadyInitialized)
                {
                    throw new Pkcs11Exception("C_Initialize", rv, modulePath);
                }

                library.InitializedHere = rv == Ckr.Ok;
            }

            library.Users++;
            return new Pkcs11Module(library);
        }
    }

    /// <summary>The slots that hold a token.</summary>
    public nuint[] GetSlotsWithTokens()
    {
        using var use = new Use(this);
        var getSlotList = (delegate* unmanaged<byte, nuint*, nuint*, nuint>)Functions->GetSlotList;
        for (var attempt = 0; ; attempt++)
        {
            nuint count = 0;
            Check("C_GetSlotList", getSlotList(1, null, &count));
            if (count > MaxSlots)
            {
                throw new Pkcs11Exception($"PKCS#11 module '{Path}' reports {count} slots, more than the {MaxSlots} Signet reads");
            }

            var slots = new nuint[(int)count];
            fixed (nuint* p = slots)
            {
                var rv = getSlotList(1, p, &count);
                if (rv == Ckr.BufferTooSmall && attempt < 3)
                {
                    continue; // a token arrived between the two calls
                }

                Check("C_GetSlotList", rv);
            }

            return slots[..(int)count];
        }
    }

    /// <summary>C_GetTokenInfo for <paramref name="slot"/>.</summary>
    public Pkcs11TokenInfo GetTokenInfo(nuint slot)
    {
        using var use = new Use(this);
        CkTokenInfo info;
        Check("C_GetTokenInfo", ((delegate* unmanaged<nuint, CkTokenInfo*, nuint>)Functions->GetTokenInfo)(slot, &info), $"slot {slot}");
        return new Pkcs11TokenInfo
        {
            SlotId = slot,
            Label = CkTokenInfo.Text(new ReadOnlySpan<byte>(info.Label, 32)),
            ManufacturerId = CkTokenInfo.Text(new ReadOnlySpan<byte>(info.ManufacturerId, 32)),
            Model = CkTokenInfo.Text(new ReadOnlySpan<byte>(info.Model, 16)),
            SerialNumber = CkTokenInfo.Text(new ReadOnlySpan<byte>(info.SerialNumber, 16)),
            LoginRequired = (info.Flags & Ck.CkfLoginRequired) != 0,
            ProtectedAuthenticationPath = (info.Flags & Ck.CkfProtectedAuthenticationPath) != 0,
            Initialized = (info.Flags & Ck.CkfTokenInitialized) != 0,
        };
    }

    /// <summary>Opens a read-only serial session on <paramref name="slot"/>.</summary>
    public Pkcs11Session OpenSession(nuint slot)
    {
        using var use = new Use(this);
        nuint session = 0;
        Check("C_OpenSession", ((delegate* unmanaged<nuint, nuint, void*, nint, nuint*, nuint>)Functions->OpenSession)(slot, Ck.CkfSerialSession, null, 0, &session), $"slot {slot}");
        return new Pkcs11Session(this, slot, session);
    }

    /// <summary>
    /// C_Login as the user, counted per slot: login state belongs to the application (the process), not the session,
    /// so a second session on a slot that is already logged in (CKR_USER_ALREADY_LOGGED_IN) shares that login, and
    /// only the last one to leave logs out (<see cref="ReleaseLogin"/>).
    /// </summary>
    internal void Login(nuint slot, nuint session, ReadOnlySpan<byte> pin, bool protectedAuthenticationPath, string context)
    {
        lock (_library.LoginLock)
        {
            nuint rv;
            fixed (byte* p = pin)
            {
                var pinPointer = protectedAuthenticationPath ? null : p;
                var pinLength = protectedAuthenticationPath ? 0 : (nuint)pin.Length;
                rv = ((delegate* unmanaged<nuint, nuint, byte*, nuint, nuint>)Functions->Login)(session, Ck.CkuUser, pinPointer, pinLength);
            }

            if (rv is not Ckr.Ok and not Ckr.UserAlreadyLoggedIn)
            {
                throw new Pkcs11Exception("C_Login", rv, context);
            }

            _library.Logins[slot] = _library.Logins.GetValueOrDefault(slot) + 1;
        }
    }

    /// <summary>Gives up one login on <paramref name="slot"/>; the last one calls C_Logout on <paramref name="session"/>.</summary>
    internal void ReleaseLogin(nuint slot, nuint session)
    {
        lock (_library.LoginLock)
        {
            var remaining = _library.Logins.GetValueOrDefault(slot) - 1;
            if (remaining > 0)
            {
                _library.Logins[slot] = remaining;
                return;
            }

            _library.Logins.Remove(slot);

            // Best effort while closing: the session may already be gone with its token; C_CloseSession follows.
            _ = ((delegate* unmanaged<nuint, nuint>)Functions->Logout)(session);
        }
    }

    internal static void Check(string function, nuint rv, string? context = null)
    {
        if (rv != Ckr.Ok)
        {
            throw new Pkcs11Exception(function, rv, context);
        }
    }

    protected override bool ReleaseHandle()
    {
        lock (LibrariesLock)
        {
            _library.Users--;
            if (_library.Users == 0 && _library.InitializedHere)
            {
                _library.Logins.Clear();
                var rv = ((delegate* unmanaged<void*, nuint>)_library.Functions->Finalize)(null);
                return rv == Ckr.Ok;
            }

            return true;
        }
    }

    private static CkFunctionList* GetFunctionList(string modulePath, nint native)
    {
        if (!NativeLibrary.TryGetExport(native, "C_GetFunctionList", out var export))
        {
            throw new Pkcs11Exception($"'{modulePath}' is not a PKCS#11 module: it exports no C_GetFunctionList");
        }

        CkFunctionList* functions = null;
        Check("C_GetFunctionList", ((delegate* unmanaged<CkFunctionList**, nuint>)export)(&functions), modulePath);
        if (functions is null)
        {
            throw new Pkcs11Exception($"PKCS#11 module '{modulePath}' returned no function list");
        }

        if (functions->Version.Major is not 2 and not 3)
        {
            throw new Pkcs11Exception($"PKCS#11 module '{modulePath}' has interface version {functions->Version.Major}.{functions->Version.Minor}; Signet speaks PKCS#11 2.x (and the 2.x list of 3.x modules)");
        }

        ReadOnlySpan<(string Name, nint Pointer)> required =
        [
            ("C_Initialize", functions->Initialize), ("C_Finalize", functions->Finalize), ("C_GetSlotList", functions->GetSlotList),
            ("C_GetTokenInfo", functions->GetTokenInfo), ("C_OpenSession", functions->OpenSession), ("C_CloseSession", functions->CloseSession),
            ("C_Login", functions->Login), ("C_Logout", functions->Logout), ("C_GetAttributeValue", functions->GetAttributeValue),
            ("C_FindObjectsInit", functions->FindObjectsInit), ("C_FindObjects", functions->FindObjects),
            ("C_FindObjectsFinal", functions->FindObjectsFinal), ("C_SignInit", functions->SignInit), ("C_Sign", functions->Sign),
        ];
        foreach (var (name, pointer) in required)
        {
            if (pointer == 0)
            {
                throw new Pkcs11Exception($"PKCS#11 module '{modulePath}' has no {name} in its function list");
            }
        }

        return functions;
    }

    /// <summary>Keeps the module initialised for the duration of a call, even if it is disposed meanwhile.</summary>
    internal readonly ref struct Use
    {
        private readonly SafeHandle _handle;

        public Use(SafeHandle handle)
        {
            var added = false;
            handle.DangerousAddRef(ref added);
            _handle = handle;
        }

        public void Dispose() => _handle.DangerousRelease();
    }

    private sealed class Library(string path, nint native, CkFunctionList* functions)
    {
        public string Path { get; } = path;

        public nint Native { get; } = native;

        public CkFunctionList* Functions { get; } = functions;

        public int Users { get; set; }

        public bool InitializedHere { get; set; }

        public Lock LoginLock { get; } = new();

        public Dictionary<nuint, int> Logins { get; } = [];
    }
}
