using System.Text.RegularExpressions;
using RescueKit.Core;

namespace RescueKit.Media.Pxe;

/// <summary>
/// A NIC's Ethernet address as the PXE boot loaders name their per-host files: lower-case hex pairs joined by dashes,
/// after the ARP hardware type 01 (pxelinux.cfg/01-52-54-00-12-34-56, grub.cfg-01-52-54-00-12-34-56; reference
/// pxe-initramfs.md B.3). Keyed by MAC, not UUID: pxelinux asks for the UUID byte-swapped (B, trap c).
/// </summary>
public static partial class PxeMac
{
    /// <summary>52:54:00:12:34:56 or 52-54-00-12-34-56 (any case) → 52-54-00-12-34-56; anything else is refused.</summary>
    public static string Normalize(string value, string input = "--mac")
    {
        if (!MacPattern().IsMatch(value))
            throw new BadInputException($"{input} '{value}' is not an Ethernet address: give six hex pairs, e.g. 52:54:00:12:34:56");
        return value.ToLowerInvariant().Replace(':', '-');
    }

    /// <summary>The per-host file name's part after the boot loader's prefix: 01-52-54-00-12-34-56.</summary>
    public static string FileKey(string mac) => "01-" + mac;

    [GeneratedRegex("^[0-9A-Fa-f]{2}([:-])[0-9A-Fa-f]{2}(\\1[0-9A-Fa-f]{2}){4}$")]
    private static partial Regex MacPattern();
}
