using System.Xml;

namespace Signet.Scanning.Catalogers.Java;

/// <summary>
/// The licenses of a <c>pom.xml</c> (<c>project/licenses/license/name</c>, else its <c>url</c>), read with a bounded
/// <see cref="XmlReader"/> that refuses DTDs and resolves nothing external.
/// </summary>
internal static class PomXml
{
    private const int MaxLicenses = 64;

    /// <summary>The declared license names (or URLs when a license has no name).</summary>
    /// <exception cref="XmlException">The document is not well-formed or declares a DTD.</exception>
    public static IReadOnlyList<string> ReadLicenses(byte[] xml)
    {
        var settings = new XmlReaderSettings
        {
            DtdProcessing = DtdProcessing.Prohibit,
            XmlResolver = null,
            MaxCharactersInDocument = xml.Length + 1024L,
            MaxCharactersFromEntities = 0,
            IgnoreComments = true,
            IgnoreProcessingInstructions = true,
            CloseInput = true,
        };
        var licenses = new List<string>();
        var path = new List<string>();
        string? name = null;
        string? url = null;
        using var reader = XmlReader.Create(new MemoryStream(xml, writable: false), settings);
        var advanced = false;
        while (advanced || reader.Read())
        {
            advanced = false;
            switch (reader.NodeType)
            {
                case XmlNodeType.Element:
                    if (IsInLicense(path) && !reader.IsEmptyElement && reader.LocalName is ("name" or "url"))
                    {
                        var isName = reader.LocalName == "name";
                        var text = reader.ReadElementContentAsString().Trim();
                        (name, url) = isName ? (text, url) : (name, text);
                        advanced = true;
                        continue;
                    }

                    if (!reader.IsEmptyElement)
                    {
                        path.Add(reader.LocalName);
                    }

                    break;
                case XmlNodeType.EndElement:
                    if (IsInLicense(path))
                    {
                        var license = string.IsNullOrEmpty(name) ? url : name;
                        if (!string.IsNullOrEmpty(license) && licenses.Count < MaxLicenses)
                        {
                            licenses.Add(license);
                        }

                        (name, url) = (null, null);
                    }

                    path.RemoveAt(path.Count - 1);
                    break;
            }
        }

        return licenses;
    }

    private static bool IsInLicense(List<string> path) =>
        path is ["project", "licenses", "license"];
}
