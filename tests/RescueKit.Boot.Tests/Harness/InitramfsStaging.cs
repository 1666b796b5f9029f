using System.Text;
using RescueKit.Tests.Shared;

namespace RescueKit.Boot.Tests.Harness;

/// <summary>
/// A directory tree that becomes a gzip'd newc initramfs, packed with the system cpio (an independent
/// implementation, so these fixtures do not depend on RescueKit's own cpio writer).
/// </summary>
public sealed class InitramfsStaging(string root)
{
    public const string Busybox = "/bin/busybox";

    public string Root { get; } = root;

    /// <summary>Copies busybox-static to /bin/busybox and links every applet it lists to it.</summary>
    public InitramfsStaging AddBusybox()
    {
        ExternalTool.Require(Busybox, "busybox-static");
        AddFile(Busybox, "bin/busybox");
        foreach (var applet in ExternalTool.RunOk(Busybox, "busybox-static", ["--list-full"]).Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var target = InRoot(applet);
            if (File.Exists(target) || Directory.Exists(target) || applet == "linuxrc") continue;
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.CreateSymbolicLink(target, "/bin/busybox");
        }
        return this;
    }

    /// <summary>
    /// Copies the named modules and their dependencies (in load order, as kmod resolves them) under
    /// /lib/modules/<paramref name="kernelVersion"/> and runs depmod on the tree. Returns the load order as
    /// paths inside the image.
    /// </summary>
    public IReadOnlyList<string> AddModules(string kernelVersion, IEnumerable<string> modules)
    {
        ExternalTool.Require("modprobe", "kmod");
        ExternalTool.Require("depmod", "kmod");
        var order = new List<string>();
        var names = modules.ToList();
        if (names.Count == 0) return order;
        var deps = ExternalTool.RunOk("modprobe", "kmod", ["-S", kernelVersion, "--show-depends", "-a", .. names]);
        foreach (var line in deps.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            // "insmod /lib/modules/<ver>/kernel/....ko [params]"; "builtin x" needs nothing copied.
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length < 2 || fields[0] != "insmod" || order.Contains(fields[1])) continue;
            AddFile(fields[1], fields[1]);
            order.Add(fields[1]);
        }
        var moduleDir = $"/lib/modules/{kernelVersion}";
        foreach (var meta in new[] { "modules.order", "modules.builtin", "modules.builtin.modinfo" })
            if (File.Exists(Path.Combine(moduleDir, meta))) AddFile(Path.Combine(moduleDir, meta), Path.Combine(moduleDir, meta));
        ExternalTool.RunOk("depmod", "kmod", ["-b", Root, kernelVersion]);
        return order;
    }

    /// <summary>Copies a host file into the image, keeping its permission bits.</summary>
    public InitramfsStaging AddFile(string source, string pathInImage)
    {
        var target = InRoot(pathInImage);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        File.Copy(source, target, overwrite: true);
        return this;
    }

    /// <summary>Copies a host directory tree into the image.</summary>
    public InitramfsStaging AddDirectory(string source, string pathInImage)
    {
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
            AddFile(file, Path.Combine(pathInImage, Path.GetRelativePath(source, file)));
        return this;
    }

    /// <summary>Writes a text file (LF line ends), executable when asked.</summary>
    public InitramfsStaging AddText(string pathInImage, string text, bool executable = false)
    {
        var target = InRoot(pathInImage);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        File.WriteAllText(target, text.ReplaceLineEndings("\n"), new UTF8Encoding(false));
        File.SetUnixFileMode(target, executable
            ? UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead
              | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute
            : UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        return this;
    }

    /// <summary>Packs the tree as <c>find . | cpio -o -H newc | gzip</c> into <paramref name="output"/>.</summary>
    public void Pack(string output)
    {
        ExternalTool.Require("cpio", "cpio");
        ExternalTool.Require("gzip", "gzip");
        foreach (var dir in new[] { "dev", "proc", "sys", "run", "tmp", "etc", "root" })
            Directory.CreateDirectory(InRoot(dir));
        var script = "set -e -o pipefail; find . | LC_ALL=C sort | cpio -o -H newc --quiet | gzip -1 > \"$1\"";
        ExternalTool.RunOk("/bin/bash", "bash", ["-c", script, "pack", Path.GetFullPath(output)], workingDirectory: Root);
    }

    private string InRoot(string pathInImage) => Path.Combine(Root, pathInImage.TrimStart('/'));
}
