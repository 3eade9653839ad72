namespace Signet.Scanning.Catalogers.Binaries.Elf;

/// <summary>
/// An ELF file's header, program header table or section header table is malformed or points outside the file: the
/// message names the structure and the check that failed.
/// </summary>
internal sealed class ElfFormatException : FormatException
{
    public ElfFormatException()
    {
    }

    public ElfFormatException(string message)
        : base(message)
    {
    }

    public ElfFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
