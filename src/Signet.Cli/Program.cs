using System.CommandLine;
using System.CommandLine.Invocation;
using Signet.Cli;
using Signet.Cli.Commands;

var root = new RootCommand(
    "signet: make container images trustworthy from build to run. Reads images from OCI layouts (oci:DIR[:TAG]), " +
    "archives (oci-archive:FILE[:TAG], docker-archive:FILE[:REF]) and registries (docker://REF or REF), and proves their integrity.")
{
    VerifyIntegrityCommand.Create(),
    InspectCommand.Create(),
    CopyCommand.Create(),
    UnpackCommand.Create(),
    SbomCommand.Create(),
    LoginCommands.CreateLogin(),
    LoginCommands.CreateLogout(),
    DemoCommand.Create(),

    KeyCommands.CreateGenerate(),
    KeyCommands.CreateImport(),
    KeyCommands.CreatePublicKey(),
    BlobCommands.CreateSign(),
    BlobCommands.CreateVerify(),
    BundleVerifyCommands.CreateVerifyBundle(),
    SigningCommands.CreateSign(),
    SigningCommands.CreateVerify(),
    SigningCommands.CreateAttest(),
    SigningCommands.CreateVerifyAttestation(),
    SigningCommands.CreateTree(),
    SignBundleCommand.Create(),
    TrustCommands.Create(),
};
CommonOptions.AddTo(root);

var parsed = root.Parse(args);
if (parsed.Action is ParseErrorAction)
{
    return ExitCodes.FromParseErrors(parsed);
}

try
{
    return await parsed.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false }).ConfigureAwait(false);
}
catch (Exception e)
{
    var (code, message) = ExitCodes.FromException(e);
    await Console.Error.WriteLineAsync($"signet: {message}").ConfigureAwait(false);
    return code;
}
