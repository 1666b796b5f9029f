namespace RescueKit.Boot.Tests.Harness;

/// <summary>
/// A rescue initramfs made of init-scripts/ alone, laid out as the integrator's image will be: /init, the stages
/// under /usr/lib/rescuekit/init, busybox with applet links, the CD modules, a rescue.conf and a stub
/// /usr/bin/rescuekit that prints what a front-end would receive.
/// </summary>
public static class InitScriptsImage
{
    public const string Label = "RESCUEKIT";
    public const string Version = "0.0.0";

    /// <summary>The CD and IDE-disk paths (ata_piix, sr_mod, sd_mod, ISO 9660), virtio disks and the virtio NIC.</summary>
    public static readonly IReadOnlyList<string> Modules =
        ["sr_mod", "cdrom", "sd_mod", "isofs", "ata_piix", "virtio_pci", "virtio_blk", "virtio_net"];

    // Prints what a real front-end would use: the mode, the arguments, what the stages found, the command line.
    // It has no fetch verb, unlike the real one: 40-media asks for it with an http:// source and must refuse without it.
    private const string StubFrontEnd = """
        #!/bin/sh
        [ "$1" = fetch ] && { echo "'fetch' was not matched" >&2; exit 1; }
        MODE=?
        for a in "$@"; do [ "$prev" = --mode ] && MODE=$a; prev=$a; done
        echo "RescueKit 0.0.0 $1 (mode: $MODE)"
        echo "stub args: $*"
        echo "stub backup: ${RK_BACKUP_DIR:-none} ${RK_BACKUP_URL:-}"
        echo "stub cmdline: $(cat /proc/cmdline)"
        """;

    /// <summary>Builds the initramfs (gzip'd newc) at <paramref name="output"/>, staging under <paramref name="workDirectory"/>.</summary>
    public static void Build(string workDirectory, string output)
    {
        VmLab.RequireKernel();
        var staging = new InitramfsStaging(Path.Combine(workDirectory, "initramfs-root"));
        staging.AddBusybox();
        staging.AddModules(VmLab.KernelVersion, Modules);
        staging.AddFile(Path.Combine(RepoPaths.InitScripts, "init"), "init");
        staging.AddDirectory(Path.Combine(RepoPaths.InitScripts, "lib"), "usr/lib/rescuekit/init/lib");
        staging.AddDirectory(Path.Combine(RepoPaths.InitScripts, "stages"), "usr/lib/rescuekit/init/stages");
        // ata_piix and sr_mod are not essential on purpose: the modalias coldplug has to find them.
        staging.AddText("etc/rescuekit/rescue.conf", $"""
            RK_VERSION={Version}
            RK_LABEL={Label}
            RK_KERNEL={VmLab.KernelVersion}
            RK_ESSENTIAL_MODULES="isofs virtio_pci virtio_blk"
            RK_DEFAULT_MODE=interactive
            """);
        staging.AddText("usr/bin/rescuekit", StubFrontEnd, executable: true);
        staging.Pack(output);
    }
}
