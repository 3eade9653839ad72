namespace Signet.Scanning.Catalogers.Python;

/// <summary>The licenses core metadata declares, in the order of preference Syft uses.</summary>
internal static class PythonLicenses
{
    /// <summary>A License header longer than this is the license text itself, not a name.</summary>
    private const int MaxLicenseName = 200;

    /// <summary>Trove classifiers (pypi.org/classifiers) that name exactly one SPDX license; others are kept as text.</summary>
    private static readonly Dictionary<string, string> Classifiers = new(StringComparer.Ordinal)
    {
        ["Boost Software License 1.0 (BSL-1.0)"] = "BSL-1.0",
        ["Eclipse Public License 2.0 (EPL-2.0)"] = "EPL-2.0",
        ["European Union Public Licence 1.2 (EUPL 1.2)"] = "EUPL-1.2",
        ["GNU Affero General Public License v3"] = "AGPL-3.0-only",
        ["GNU Affero General Public License v3 or later (AGPLv3+)"] = "AGPL-3.0-or-later",
        ["GNU General Public License v2 (GPLv2)"] = "GPL-2.0-only",
        ["GNU General Public License v2 or later (GPLv2+)"] = "GPL-2.0-or-later",
        ["GNU General Public License v3 (GPLv3)"] = "GPL-3.0-only",
        ["GNU General Public License v3 or later (GPLv3+)"] = "GPL-3.0-or-later",
        ["GNU Lesser General Public License v2 (LGPLv2)"] = "LGPL-2.0-only",
        ["GNU Lesser General Public License v2 or later (LGPLv2+)"] = "LGPL-2.0-or-later",
        ["GNU Lesser General Public License v3 (LGPLv3)"] = "LGPL-3.0-only",
        ["GNU Lesser General Public License v3 or later (LGPLv3+)"] = "LGPL-3.0-or-later",
        ["ISC License (ISCL)"] = "ISC",
        ["MIT License"] = "MIT",
        ["MIT No Attribution License (MIT-0)"] = "MIT-0",
        ["Mozilla Public License 2.0 (MPL 2.0)"] = "MPL-2.0",
        ["Python Software Foundation License"] = "PSF-2.0",
        ["The Unlicense (Unlicense)"] = "Unlicense",
        ["Universal Permissive License (UPL)"] = "UPL-1.0",
        ["zlib/libpng License"] = "Zlib",
    };

    /// <summary>
    /// License-Expression (core metadata 2.4) when declared; else the License header when it is a short name (not
    /// UNKNOWN, not the license text); else the license classifiers, mapped to SPDX ids where exactly one fits.
    /// </summary>
    public static IEnumerable<string> Of(CoreMetadata metadata)
    {
        if (LanguagePackages.Collapse(metadata.First("License-Expression")) is { } expression)
        {
            return [expression];
        }

        if (metadata.First("License") is { Length: <= MaxLicenseName } license
            && !license.Contains('\n', StringComparison.Ordinal)
            && !license.Equals("UNKNOWN", StringComparison.OrdinalIgnoreCase))
        {
            return [license];
        }

        return metadata.All("Classifier").Select(FromClassifier).OfType<string>();
    }

    private static string? FromClassifier(string classifier)
    {
        var parts = classifier.Split("::", StringSplitOptions.TrimEntries);
        if (parts.Length < 2 || parts[0] != "License" || parts[^1] is "OSI Approved" or "")
        {
            return null;
        }

        return Classifiers.TryGetValue(parts[^1], out var spdx) ? spdx : parts[^1];
    }
}
