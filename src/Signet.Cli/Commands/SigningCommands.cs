using System.Collections.Immutable;
using System.CommandLine;
using Signet.Cli.Output;
using Signet.Crypto;
using Signet.Crypto.KeyReferences;
using Signet.Crypto.Passphrases;
using Signet.Crypto.Pkcs11;
using Signet.Images.Transports;
using Signet.Signing;
using Signet.Signing.Discovery;
using Signet.Signing.Keyless;
using Signet.Signing.Signatures;
using Signet.Signing.Storage;
using Signet.Signing.Verification;
using Signet.Sigstore.Certificates;

namespace Signet.Cli.Commands;

/// <summary><c>signet sign</c>, <c>verify</c>, <c>attest</c>, <c>verify-attestation</c> and <c>tree</c>: cosign-compatible image signatures.</summary>
internal static class SigningCommands
{
    private static readonly Argument<string[]> Images = new("image")
    {
        Description = "The images: docker://REF, REF, oci:DIR[:TAG], oci-archive:FILE[:TAG] or docker-archive:FILE[:REF] (rewritten in place). A tag is resolved to its digest and the digest is signed.",
        Arity = ArgumentArity.OneOrMore,
    };

    private static readonly Argument<string> Image = new("image")
    {
        Description = "The image: docker://REF, REF, oci:DIR[:TAG], oci-archive:FILE[:TAG] or docker-archive:FILE[:REF].",
    };

    private static readonly Option<string?> SigningKey = new("--key")
    {
        Description = "The private key: a cosign key file, env://VARIABLE or a pkcs11: URI. Passphrase from SIGNET_PASSWORD or COSIGN_PASSWORD. Without it, signing is keyless (--identity-token).",
    };

    private static readonly Option<string[]> VerificationKeys = new("--key")
    {
        Description = "A public key (PEM file, env://VARIABLE, pkcs11: URI, or a private key's public half); repeat for several keys. Excludes the --certificate-* identity options.",
        Arity = ArgumentArity.ZeroOrMore,
    };

    /// <summary>
    /// cosign's GitHub workflow options and the Fulcio extensions they compare: like cosign, the deprecated raw-valued
    /// 1.3.6.1.4.1.57264.1.2 to .1.6, which Fulcio still writes for GitHub Actions tokens.
    /// </summary>
    private static readonly (Option<string?> Option, string Oid)[] GithubWorkflowOptions =
    [
        .. new[]
        {
            ("trigger", "the workflow's trigger event, e.g. push"),
            ("sha", "the commit the workflow ran on"),
            ("name", "the workflow's name"),
            ("repository", "the repository, OWNER/NAME"),
            ("ref", "the git ref, e.g. refs/heads/main"),
        }.Select(o =>
        {
            var oid = FulcioExtensions.ByName[$"github-workflow-{o.Item1}"];
            return (new Option<string?>($"--certificate-github-workflow-{o.Item1}") { Description = $"Keyless: {o.Item2} (Fulcio extension {oid})." }, oid);
        }),
    ];

    private static readonly Option<string> Format = new("--format")
    {
        Description = "bundle (cosign v3: Sigstore bundle as an OCI 1.1 referrer, the default) or legacy (cosign's sha256-<hex>.sig/.att tags).",
        HelpName = "bundle|legacy",
        DefaultValueFactory = _ => "bundle",
    };

    private static readonly Option<string[]> Annotation = new("--annotation", "-a")
    {
        Description = "key=value: signed with the signature (sign) or required in it (verify); repeatable.",
        Arity = ArgumentArity.ZeroOrMore,
    };

    private static readonly Option<bool> Recursive = new("--recursive")
    {
        Description = "For an index: sign every manifest it lists too.",
    };

    private static readonly Option<string?> SignatureRepository = new("--signature-repository")
    {
        Description = $"Keep signatures in this repository (REGISTRY/REPO) instead of the image's; default ${SignatureTarget.RepositoryVariable}.",
    };

    private static readonly Option<int> Threshold = new("--threshold")
    {
        Description = "How many distinct keys must have signed (default 1).",
        DefaultValueFactory = _ => 1,
    };

    private static readonly Option<string> Predicate = new("--predicate")
    {
        Description = "The predicate: a file holding a JSON object.",
        Required = true,
    };

    private static readonly Option<string> AttestType = new("--type")
    {
        Description = "Predicate type: slsaprovenance1, slsaprovenance, spdxjson, cyclonedx, openvex, vuln, custom, link or a URI.",
        DefaultValueFactory = _ => "custom",
    };

    private static readonly Option<string?> FilterType = new("--type")
    {
        Description = "Only attestations of this predicate type (short name or URI).",
    };

    public static Command CreateSign()
    {
        var command = new Command(
            "sign",
            "Sign images as cosign does: resolve each tag to its digest and sign the digest, as a Sigstore bundle referrer (default) " +
            "or a legacy .sig layer (appended; other signers' layers are kept).")
        {
            Images, SigningKey, Format, Annotation, Recursive, SignatureRepository, CommonOptions.Output,
        };
        foreach (var option in KeylessAccess.Options)
        {
            command.Options.Add(option);
        }

        command.SetAction(async (result, cancellationToken) =>
        {
            var options = new SignOptions { Format = ParseFormat(result), Annotations = ParseAnnotations(result), Recursive = result.GetValue(Recursive) };
            return await WithSignerAsync(result, (signer, target) => signer.SignAsync(target, options, cancellationToken), cancellationToken).ConfigureAwait(false);
        });
        return command;
    }

    public static Command CreateAttest()
    {
        var command = new Command(
            "attest",
            "Attest images with a predicate: an in-toto statement signed with DSSE, as a Sigstore bundle referrer (default) or a legacy .att layer.")
        {
            Images, SigningKey, Predicate, AttestType, Format, Recursive, SignatureRepository, CommonOptions.Output,
        };
        foreach (var option in KeylessAccess.Options)
        {
            command.Options.Add(option);
        }

        command.SetAction(async (result, cancellationToken) =>
        {
            var path = result.GetValue(Predicate)!;
            var info = new FileInfo(path);
            if (!info.Exists)
            {
                throw new FileNotFoundException($"--predicate {path}: file not found", path);
            }

            if (info.Length > ImageVerifier.MaxBundleBytes / 2)
            {
                throw new InvalidDataException($"--predicate {path} is {info.Length} bytes; at most {ImageVerifier.MaxBundleBytes / 2} are accepted");
            }

            var predicate = await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false);
            var options = new AttestOptions
            {
                Format = ParseFormat(result),
                PredicateType = result.GetValue(AttestType)!,
                Predicate = predicate,
                Recursive = result.GetValue(Recursive),
            };
            return await WithSignerAsync(result, (signer, target) => signer.AttestAsync(target, options, cancellationToken), cancellationToken).ConfigureAwait(false);
        });
        return command;
    }

    public static Command CreateVerify()
    {
        var command = new Command(
            "verify",
            "Verify an image's signatures in both cosign formats over the stored bytes: each must verify with one of the keys (or, " +
            "keyless, carry the --certificate-identity and --certificate-oidc-issuer with Sigstore evidence from the trusted root) and " +
            "sign this image's digest (and the -a annotations). Exit 0 when --threshold distinct keys (or the identity) verified; " +
            "otherwise exit 1 with a SIG code per signature (docs/error-codes.md).")
        {
            Image, VerificationKeys, Threshold, Annotation, SignatureRepository, CommonOptions.Output,
        };
        AddKeylessOptions(command);
        command.SetAction((result, cancellationToken) => VerifyAsync(result, attestations: false, cancellationToken));
        return command;
    }

    public static Command CreateVerifyAttestation()
    {
        var command = new Command(
            "verify-attestation",
            "Verify an image's attestations (bundle referrers and legacy .att layers) and print the verified statements.")
        {
            Image, VerificationKeys, FilterType, Threshold, SignatureRepository, CommonOptions.Output,
        };
        AddKeylessOptions(command);
        command.SetAction((result, cancellationToken) => VerifyAsync(result, attestations: true, cancellationToken));
        return command;
    }

    public static Command CreateTree()
    {
        var command = new Command("tree", "List the signatures, attestations and other referrers attached to an image (nothing is verified).")
        {
            Image, SignatureRepository, CommonOptions.Output,
        };
        command.SetAction(async (result, cancellationToken) =>
        {
            var name = ImageName.Parse(result.GetValue(Image)!);
            using var transports = await CommonOptions.TransportsAsync(result, [name], cancellationToken).ConfigureAwait(false);
            await using var target = await SignatureTarget.OpenAsync(name, transports, SignatureRepositoryOf(result), forWriting: false, cancellationToken).ConfigureAwait(false);
            var tree = await SignatureTree.ListAsync(target, cancellationToken).ConfigureAwait(false);
            SignatureOutput.Write(tree, result.GetValue(CommonOptions.Output));
            return ExitCodes.Success;
        });
        return command;
    }

    private static void AddKeylessOptions(Command command)
    {
        command.Options.Add(BundleVerifyCommands.Identity);
        command.Options.Add(BundleVerifyCommands.IdentityRegexp);
        command.Options.Add(BundleVerifyCommands.Issuer);
        command.Options.Add(BundleVerifyCommands.IssuerRegexp);
        foreach (var (option, _) in GithubWorkflowOptions)
        {
            command.Options.Add(option);
        }

        command.Options.Add(BundleVerifyCommands.TrustedRootFile);
        command.Options.Add(BundleVerifyCommands.InsecureIgnoreTlog);
    }

    private static async Task<int> VerifyAsync(ParseResult result, bool attestations, CancellationToken cancellationToken)
    {
        var name = ImageName.Parse(result.GetValue(Image)!);
        var resolver = Resolver();
        var keys = ImmutableArray.CreateBuilder<PublicKey>();
        foreach (var reference in result.GetValue(VerificationKeys) ?? [])
        {
            keys.Add(await resolver.LoadPublicKeyAsync(KeyReference.Parse(reference), cancellationToken).ConfigureAwait(false));
        }

        var options = new VerifyOptions
        {
            Keys = keys.ToImmutable(),
            Identity = IdentityOf(result),
            InsecureIgnoreTlog = result.GetValue(BundleVerifyCommands.InsecureIgnoreTlog),
            Threshold = result.GetValue(Threshold),
            Annotations = attestations ? ImmutableSortedDictionary<string, string>.Empty : ParseAnnotations(result),
            PredicateType = attestations ? result.GetValue(FilterType) : null,
        };
        options.Validate();
        if (!options.Keyless && result.GetValue(BundleVerifyCommands.TrustedRootFile) is not null)
        {
            throw new ArgumentException("--trusted-root is for keyless verification (--certificate-identity...); key-signed signatures are verified with --key alone");
        }

        if (options.Keyless)
        {
            options = options with { TrustedRoot = BundleVerifyCommands.LoadTrustedRoot(result) };
        }

        using var transports = await CommonOptions.TransportsAsync(result, [name], cancellationToken).ConfigureAwait(false);
        await using var target = await SignatureTarget.OpenAsync(name, transports, SignatureRepositoryOf(result), forWriting: false, cancellationToken).ConfigureAwait(false);
        var report = attestations
            ? await ImageVerifier.VerifyAttestationsAsync(target, options, cancellationToken).ConfigureAwait(false)
            : await ImageVerifier.VerifyAsync(target, options, cancellationToken).ConfigureAwait(false);
        SignatureOutput.Write(report, result.GetValue(CommonOptions.Output), attestations);
        return report.Passed ? ExitCodes.Success : ExitCodes.VerificationFailed;
    }

    /// <summary>The keyless identity the options ask for (with the GitHub workflow extensions); null when no --certificate-* option was given.</summary>
    private static CertificateIdentityPolicy? IdentityOf(ParseResult result)
    {
        var extensions = ImmutableSortedDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        foreach (var (option, oid) in GithubWorkflowOptions)
        {
            if (result.GetValue(option) is { } value)
            {
                extensions[oid] = value;
            }
        }

        var identity = BundleVerifyCommands.IdentityPolicy(result);
        if (identity is null && extensions.Count > 0)
        {
            throw new ArgumentException("the --certificate-github-workflow-* options narrow a keyless identity: give them with --certificate-identity[-regexp] and --certificate-oidc-issuer[-regexp]");
        }

        return identity is null ? null : identity with { Extensions = extensions.ToImmutable() };
    }

    private static async Task<int> WithSignerAsync(
        ParseResult result, Func<ImageSigner, SignatureTarget, Task<ImmutableArray<SignedManifest>>> sign, CancellationToken cancellationToken)
    {
        var names = (result.GetValue(Images) ?? []).Select(ImageName.Parse).ToList();
        using var http = new HttpClient();
        using var signer = await KeylessAccess.SignerAsync(
            result, result.GetValue(SigningKey), key => Resolver().LoadSignerAsync(KeyReference.Parse(key), cancellationToken), http, cancellationToken).ConfigureAwait(false);
        var imageSigner = signer is KeylessSigner keyless ? new ImageSigner(keyless) : new ImageSigner(signer);
        using var transports = await CommonOptions.TransportsAsync(result, names, cancellationToken).ConfigureAwait(false);
        var written = ImmutableArray.CreateBuilder<(string Image, SignedManifest Signed)>();
        foreach (var name in names)
        {
            await using var target = await SignatureTarget.OpenAsync(name, transports, SignatureRepositoryOf(result), forWriting: true, cancellationToken).ConfigureAwait(false);
            foreach (var signed in await sign(imageSigner, target).ConfigureAwait(false))
            {
                written.Add((name.Original, signed));
            }
        }

        SignatureOutput.Write(written.ToImmutable(), result.GetValue(CommonOptions.Output));
        return ExitCodes.Success;
    }

    /// <summary>Keys through the resolver: passphrases from SIGNET_PASSWORD / COSIGN_PASSWORD, pkcs11: URIs through the PKCS#11 signer.</summary>
    private static KeyReferenceResolver Resolver() => new(new EnvironmentPassphraseSource())
    {
        Pkcs11Signers = async (reference, cancellationToken) => await Pkcs11Signer.OpenAsync(
            reference.Raw,
            new Pkcs11SignerOptions { ModulePath = Environment.GetEnvironmentVariable(Pkcs11SignerOptions.ModulePathVariable) },
            cancellationToken).ConfigureAwait(false),
    };

    private static string? SignatureRepositoryOf(ParseResult result) =>
        result.GetValue(SignatureRepository)
        ?? (Environment.GetEnvironmentVariable(SignatureTarget.RepositoryVariable) is { Length: > 0 } repository ? repository : null);

    private static SignatureFormat ParseFormat(ParseResult result) => result.GetValue(Format)?.ToLowerInvariant() switch
    {
        "bundle" => SignatureFormat.Bundle,
        "legacy" => SignatureFormat.Legacy,
        var other => throw new ArgumentException($"--format must be bundle or legacy, got '{other}'"),
    };

    private static ImmutableSortedDictionary<string, string> ParseAnnotations(ParseResult result)
    {
        var builder = ImmutableSortedDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        foreach (var pair in result.GetValue(Annotation) ?? [])
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                throw new ArgumentException($"-a '{pair}' is not key=value");
            }

            builder[pair[..equals]] = pair[(equals + 1)..];
        }

        return builder.ToImmutable();
    }
}
