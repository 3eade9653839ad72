namespace Signet.Scanning.Catalogers.Binaries.Elf;

/// <summary>The stable codes of the ELF reader shared by the binary catalogers, documented in docs/error-codes.md.</summary>
public static class ElfCodes
{
    /// <summary>An executable starts with the ELF magic but its header or tables are malformed or out of range.</summary>
    public const string Malformed = "ELF1001";
}
