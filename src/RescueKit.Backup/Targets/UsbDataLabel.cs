using RescueKit.Core;

namespace RescueKit.Backup.Targets;

/// <summary>`--to usb:LABEL`: a RescueKit USB stick's data partition as a backup target, named by its ext4 label (docs/usb.md).</summary>
public static class UsbDataLabel
{
    public const string Scheme = "usb:";

    /// <summary>The label mkrescue --output usb gives the data partition (UsbLayout.DataLabel in RescueKit.Media).</summary>
    public const string DefaultLabel = "RESCUEKIT-DATA";

    public static bool IsUsb(string target) => target.StartsWith(Scheme, StringComparison.Ordinal);

    /// <summary>The label of usb:LABEL (usb: alone is <see cref="DefaultLabel"/>); <paramref name="name"/> names the input in messages.</summary>
    public static string Parse(string target, string name)
    {
        var label = target[Scheme.Length..];
        if (label.Length == 0) return DefaultLabel;
        if (label.Length > 16 || label.Any(c => c is '/' or ' ' or '\'' or '"' || char.IsControl(c)))
            throw new BadInputException($"{name} {target}: '{label}' is not an ext4 label (at most 16 characters, no '/' or spaces): give usb:{DefaultLabel} or usb: alone");
        return label;
    }
}
