using RescueKit.Core;
using RescueKit.Core.Layout;
using System.Text;

namespace RescueKit.Media.Steps;

/// <summary>Adds /init, the numbered stage scripts, and the configuration the rescue system reads at boot.</summary>
internal sealed class AddInitStep : IBuildStep
{
    public string Title => "Adding init scripts and configuration";

    public void Run(BuildContext context, CancellationToken cancellationToken)
    {
        var rootfs = context.Rootfs;
        foreach (var (path, content) in EmbeddedAssets.Enumerate("init-scripts/"))
        {
            var target = path == "init" ? "init" : $"{RescuePaths.InitDirectory}/{path}";
            rootfs.AddGenerated(target, content, path.EndsWith(".md", StringComparison.Ordinal) ? UnixModes.File : UnixModes.Executable);
        }
        if (!rootfs.Contains("init"))
            throw new InvalidOperationException("init-scripts/init is not compiled into RescueKit.Media");

        rootfs.AddGenerated(RescuePaths.RescueConf, RescueConf(context));
        rootfs.AddGenerated(RescuePaths.ToolsList,
            string.Concat(context.Tools.Select(t => $"{t.Key} {t.Value}\n")));
        rootfs.AddGenerated(RescuePaths.Layout, context.Config.LayoutJson ?? EmptyLayout(context.Config));
        // Coldplug passes modprobe -b: a blacklisted module loads only when named (modprobe floppy), never by alias.
        rootfs.AddGenerated("etc/modprobe.d/rescuekit.conf", ModprobeConf);
        rootfs.AddGenerated("etc/lvm/lvm.conf", LvmConf);
        rootfs.AddGenerated("etc/passwd", "root:x:0:0:root:/root:/bin/sh\n");
        rootfs.AddGenerated("etc/group", "root:x:0:\n");
        rootfs.AddGenerated("etc/shadow", "root::0:0:99999:7:::\n", UnixModes.Private);
        rootfs.AddGenerated("etc/nsswitch.conf", "passwd: files\ngroup: files\nhosts: files dns\n");
        rootfs.AddGenerated("etc/hostname", $"rescue-{context.Config.HostName}\n");
        rootfs.AddGenerated("etc/hosts", "127.0.0.1 localhost\n");
        rootfs.AddGenerated("etc/profile",
            "export PATH=/usr/sbin:/usr/bin:/sbin:/bin\nexport PS1='rescue:\\w# '\n" +
            // busybox sh prefers its modprobe applet, which cannot read the compressed modules: use kmod's.
            "[ -x /usr/sbin/modprobe ] && modprobe() { /usr/sbin/modprobe \"$@\"; }\n" +
            "echo 'RescueKit expert shell. rescuekit --help lists the commands; exit leaves the shell.'\n");
    }

    /// <summary>
    /// The floppy driver probes the legacy controller every PC-type virtual machine emulates (QEMU/KVM "pc", the
    /// benchmark's machine) for over a second under TCG, and no rescue medium or disk to restore is a floppy.
    /// </summary>
    private const string ModprobeConf =
        "# Written by rescuekit mkrescue (docs/init.md): not loaded by the coldplug of 20-modules; modprobe floppy loads it.\n" +
        "blacklist floppy\n";

    /// <summary>
    /// The rescue system runs no udev (10-devices: devtmpfs and mdev), and LVM's defaults wait for udev to make an
    /// LV's device nodes: lvcreate then failed with "/dev/vg0/home: not found: device not cleared" (found by the restore
    /// end-to-end test). Here LVM and device-mapper make the nodes themselves and list devices by scanning /dev.
    /// </summary>
    private const string LvmConf =
        "# Written by rescuekit mkrescue (docs/init.md): no udev runs in the rescue system.\n" +
        "activation {\n\tudev_sync = 0\n\tudev_rules = 0\n}\n" +
        "devices {\n\tobtain_device_list_from_udev = 0\n}\n";

    private static string RescueConf(BuildContext context)
    {
        var c = context.Config;
        var sb = new StringBuilder();
        sb.Append("# Written by rescuekit mkrescue; sourced by /init.\n");
        sb.Append($"{RescuePaths.VersionKey}='{c.Version}'\n");
        sb.Append($"{RescuePaths.LabelKey}='{c.Label}'\n");
        sb.Append($"{RescuePaths.KernelKey}='{context.Kernel!.Version}'\n");
        sb.Append($"{RescuePaths.HostKey}='{c.HostName}'\n");
        sb.Append($"{RescuePaths.DefaultModeKey}='interactive'\n");
        sb.Append($"{RescuePaths.EssentialModulesKey}='{string.Join(' ', RescueTools.PreloadModules)}'\n");
        // The initramfs links to modules and firmware on the medium (AddModulesStep): 20-modules mounts the medium here.
        if (context.MediaFiles.Count > 0)
            sb.Append($"{RescuePaths.RescueMediaKey}='{BootModules.RescueMediaMount}'\n");
        sb.Append($"{RescuePaths.BuiltKey}='{c.Timestamp.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}'\n");
        return sb.ToString();
    }

    /// <summary>
    /// The layout.json of a medium built when the host's layout could not be captured (mkrescue warned why): a layout
    /// that loads like any other, with no storage in it and a note that says so, so whatever reads it (layout show,
    /// the restore) reports an empty layout instead of failing on a file it cannot read.
    /// </summary>
    public static string EmptyLayout(RescueConfig config) => LayoutJson.Serialize(new HostLayout
    {
        ToolVersion = config.Version,
        CapturedAt = config.Timestamp,
        HostName = config.HostName,
        Notes = [$"empty: the disk layout of {config.HostName} could not be captured when this medium was built; " +
                 "run 'rescuekit layout save' on the host to see why"],
    });
}
