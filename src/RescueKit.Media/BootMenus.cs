using System.Text.RegularExpressions;
using RescueKit.Core;

namespace RescueKit.Media;

/// <summary>Fills the boot-menu templates (templates/isolinux.cfg, templates/grub.cfg) for one medium.</summary>
public static partial class BootMenus
{
    public static string Isolinux(RescueConfig config) => Fill(EmbeddedAssets.ReadText("templates/isolinux.cfg"), config);

    public static string Grub(RescueConfig config) => Fill(EmbeddedAssets.ReadText("templates/grub.cfg"), config);

    /// <summary>
    /// The configuration built into BOOTX64.EFI: GRUB starts on the FAT image (from CD) or the EFI partition (from USB)
    /// and must find the ISO 9660 tree, wherever the firmware put it, by its label.
    /// </summary>
    public static string GrubEarly(RescueConfig config) =>
        $"search --no-floppy --set=root --label {config.Label}\n" +
        "set prefix=($root)/boot/grub\n" +
        "configfile ($root)/boot/grub/grub.cfg\n";

    /// <summary>
    /// The kernel command line every entry starts with: VGA and, when asked, the serial console; `quiet` because every
    /// kernel message crosses the serial line (measured: 0.8 s of a 10 s boot under QEMU). Errors still show; the
    /// rescue system's own [rk] lines are not kernel messages. Remove it at the menu (Tab / e) to see everything.
    /// `cryptomgr.notests` skips the kernel's boot-time self-tests of its crypto algorithms, which checked a release
    /// kernel's code that is the same on every boot: 1.7 s of the 4.8 s the kernel took to reach /init under QEMU
    /// (guest time with -icount, 2026-12-01). With fips=1 the kernel runs them anyway.
    /// </summary>
    public static string KernelCommandLine(RescueConfig config)
        => (config.SerialConsole is null ? "console=tty0" : $"console=tty0 console={config.SerialConsole}") + " quiet cryptomgr.notests";

    /// <summary>Parses DEVICE,SPEED (ttyS0,115200) into the serial unit and speed the boot loaders want; messages
    /// call the value <paramref name="input"/>, the name the caller asked for it by (mkrescue: --serial-console).</summary>
    public static (int Unit, int Speed) ParseSerial(string value, string input = "serial console")
    {
        var m = SerialPattern().Match(value);
        if (!m.Success)
            throw new BadInputException($"{input} '{value}' is not DEVICE,SPEED: use e.g. ttyS0,115200");
        return (int.Parse(m.Groups[1].Value), int.Parse(m.Groups[2].Value));
    }

    private static string Fill(string template, RescueConfig config)
    {
        var (unit, speed) = config.SerialConsole is null ? (0, 115200) : ParseSerial(config.SerialConsole);
        return template
            .Replace("@LABEL@", config.Label)
            .Replace("@CMDLINE@", KernelCommandLine(config))
            .Replace("@VERSION@", config.Version)
            .Replace("@SERIAL_UNIT@", unit.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .Replace("@SERIAL_SPEED@", speed.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    [GeneratedRegex(@"^ttyS(\d{1,2}),(\d{3,7})$")]
    private static partial Regex SerialPattern();
}
