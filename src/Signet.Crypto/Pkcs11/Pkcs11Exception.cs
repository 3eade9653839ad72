using System.Security.Cryptography;
using Signet.Crypto.Pkcs11.Native;

namespace Signet.Crypto.Pkcs11;

/// <summary>
/// A PKCS#11 failure: a module call that returned an error (<see cref="Function"/> and <see cref="ReturnValueName"/>
/// are set, e.g. <c>C_Login failed: CKR_PIN_INCORRECT</c>), or a token, key or module that is not what the URI asks
/// for (the message lists what exists).
/// </summary>
public sealed class Pkcs11Exception : CryptographicException
{
    public Pkcs11Exception()
    {
    }

    public Pkcs11Exception(string message)
        : base(message)
    {
    }

    public Pkcs11Exception(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    internal Pkcs11Exception(string function, nuint returnValue, string? context)
        : base($"{function} failed: {Ckr.Name(returnValue)}{(context is null ? "" : $" ({context})")}{Hint(returnValue)}")
    {
        Function = function;
        ReturnValue = returnValue;
    }

    /// <summary>The PKCS#11 function that failed (<c>C_Login</c>), or null when no call failed.</summary>
    public string? Function { get; }

    /// <summary>The CK_RV the function returned, or null when no call failed.</summary>
    public ulong? ReturnValue { get; }

    /// <summary>The CKR_ name of <see cref="ReturnValue"/> (<c>CKR_PIN_INCORRECT</c>), or null when no call failed.</summary>
    public string? ReturnValueName => ReturnValue is { } rv ? Ckr.Name((nuint)rv) : null;

    private static string Hint(nuint returnValue) => returnValue switch
    {
        Ckr.PinIncorrect => "; check pin-value / pin-source (the token locks after too many wrong PINs)",
        0xA4 => "; the PIN is locked: unlock it with the SO PIN (e.g. pkcs11-tool --init-pin --login --login-type so)",
        0x102 => "; the token's user PIN is not set: initialise it (softhsm2-util --init-token, pkcs11-tool --init-pin)",
        0x70 => "; the token does not offer this mechanism (pkcs11-tool --list-mechanisms shows what it has)",
        0x68 => "; the key is not allowed to sign (CKA_SIGN is false)",
        Ckr.UserNotLoggedIn => "; give a PIN (a key with CKA_ALWAYS_AUTHENTICATE needs a PIN per signature, which Signet does not support)",
        _ => "",
    };
}
