using System.Runtime.InteropServices;
using System.Text;

namespace Signet.Crypto.Pkcs11.Native;

// PKCS#11 v2.40 structures as laid out on LP64 Unix: CK_ULONG and pointers are 8 bytes and the C compiler's default
// (natural) alignment applies. Windows packs these structures to 1 byte and has a 32-bit CK_ULONG; the binding
// refuses to run there (see Pkcs11Module).

/// <summary>CK_VERSION.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct CkVersion
{
    public byte Major;
    public byte Minor;
}

/// <summary>CK_C_INITIALIZE_ARGS: no mutex callbacks, <see cref="Ck.CkfOsLockingOk"/>.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct CkInitializeArgs
{
    public nint CreateMutex;
    public nint DestroyMutex;
    public nint LockMutex;
    public nint UnlockMutex;
    public nuint Flags;
    public nint Reserved;
}

/// <summary>CK_ATTRIBUTE: a type, a caller-owned value buffer and its length.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct CkAttribute
{
    public nuint Type;
    public void* Value;
    public nuint ValueLength;
}

/// <summary>CK_MECHANISM.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct CkMechanism
{
    public nuint Mechanism;
    public void* Parameter;
    public nuint ParameterLength;
}

/// <summary>CK_TOKEN_INFO (208 bytes on LP64): blank-padded UTF-8 text fields, flags and counters.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct CkTokenInfo
{
    public fixed byte Label[32];
    public fixed byte ManufacturerId[32];
    public fixed byte Model[16];
    public fixed byte SerialNumber[16];
    public nuint Flags;
    public nuint MaxSessionCount;
    public nuint SessionCount;
    public nuint MaxRwSessionCount;
    public nuint RwSessionCount;
    public nuint MaxPinLength;
    public nuint MinPinLength;
    public nuint TotalPublicMemory;
    public nuint FreePublicMemory;
    public nuint TotalPrivateMemory;
    public nuint FreePrivateMemory;
    public CkVersion HardwareVersion;
    public CkVersion FirmwareVersion;
    public fixed byte UtcTime[16];

    /// <summary>A blank-padded field as text (modules differ on trailing blanks and NULs; both are trimmed).</summary>
    public static string Text(ReadOnlySpan<byte> field)
    {
        var end = field.Length;
        while (end > 0 && field[end - 1] is (byte)' ' or 0)
        {
            end--;
        }

        return Encoding.UTF8.GetString(field[..end]);
    }
}
