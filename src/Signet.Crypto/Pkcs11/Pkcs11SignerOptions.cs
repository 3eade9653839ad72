namespace Signet.Crypto.Pkcs11;

/// <summary>How <see cref="Pkcs11Signer.OpenAsync(Pkcs11Uri, Pkcs11SignerOptions?, CancellationToken)"/> fills in what the URI leaves out.</summary>
public sealed record Pkcs11SignerOptions
{
    /// <summary>The variable cosign reads for the module when the URI has no <c>module-path</c>; the CLI passes it as <see cref="ModulePath"/>.</summary>
    public const string ModulePathVariable = "COSIGN_PKCS11_MODULE_PATH";

    /// <summary>The absolute path of the PKCS#11 module, used when the URI has no <c>module-path</c>.</summary>
    public string? ModulePath { get; init; }

    /// <summary>
    /// Asks for the user PIN when the URI has neither <c>pin-value</c> nor <c>pin-source</c> and the token needs a
    /// login (e.g. an interactive prompt). Returning null cancels.
    /// </summary>
    public Func<Pkcs11TokenInfo, CancellationToken, ValueTask<string?>>? PinCallback { get; init; }
}
