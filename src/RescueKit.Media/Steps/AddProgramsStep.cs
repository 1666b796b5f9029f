using RescueKit.Core;
using RescueKit.Discovery;

namespace RescueKit.Media.Steps;

/// <summary>Puts busybox, kmod, the restore tools and rescuekit itself with every library they load into the rescue tree.</summary>
internal sealed class AddProgramsStep : IBuildStep
{
    public string Title => "Collecting programs and libraries";

    public void Run(BuildContext context, CancellationToken cancellationToken)
    {
        var root = context.Config.HostRoot;
        var rootfs = context.Rootfs;
        var programs = new List<string>();

        foreach (var (program, package) in RescueTools.Essential)
        {
            var path = ProgramLocator.Find(program, root)
                ?? throw new MissingPrerequisiteException($"the program '{program}'", package, "the rescue system cannot boot without it");
            programs.Add(path);
            context.Tools[program] = RescuePath(path, root);
        }
        foreach (var (program, package) in RescueTools.Restore)
        {
            var path = ProgramLocator.Find(program, root);
            if (path is null)
            {
                context.MissingTools.Add((program, package));
                continue;
            }
            programs.Add(path);
            context.Tools[program] = RescuePath(path, root);
        }
        if (context.MissingTools.Count > 0)
        {
            var list = string.Join(", ", context.MissingTools.Select(t => $"{t.Tool} ({t.Package})"));
            context.Log.Warning("The host lacks these restore tools, so the rescue system will too: {Tools}", list);
            context.Notes.Add($"restore tools missing on this host: {list}");
        }

        // The closure names files by absolute path; --rescue-binary may be relative.
        var rescueBinary = Path.GetFullPath(context.Config.RescueBinary);
        var files = LibraryClosure.Resolve(
            programs.Append(rescueBinary).Concat(LibraryClosure.DlopenExtras(root)), root);
        foreach (var file in files.Order(StringComparer.Ordinal))
        {
            if (file == rescueBinary) continue;
            rootfs.AddHostFile(file, RescuePath(file, root), root);
        }
        rootfs.AddHostFile(rescueBinary, "usr/bin/rescuekit", "/");
        context.Tools["rescuekit"] = "/usr/bin/rescuekit";

        foreach (var (alias, program) in RescueTools.Aliases)
        {
            if (!context.Tools.TryGetValue(program, out var target)) continue;
            var dir = program == "kmod" ? "usr/sbin" : Path.GetDirectoryName(target)!.TrimStart('/');
            var aliasPath = $"{dir}/{alias}";
            if (!rootfs.Contains(aliasPath)) rootfs.AddSymlink(aliasPath, target);
        }

        AddBusyboxApplets(context);
    }

    /// <summary>Links every busybox applet the real tools do not already provide.</summary>
    private static void AddBusyboxApplets(BuildContext context)
    {
        var busybox = context.Tools["busybox"];
        var hostBusybox = Path.Combine(context.Config.HostRoot, busybox.TrimStart('/'));
        var list = context.Runner.Run([hostBusybox, "--list-full"]).StandardOutput;
        foreach (var line in list.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (context.Rootfs.Contains(line)) continue;
            context.Rootfs.AddSymlink(line, busybox);
        }
        // init runs /bin/sh before anything else; busybox must provide it even where the host's sh is dash.
        if (!context.Rootfs.Contains("bin/sh")) context.Rootfs.AddSymlink("bin/sh", busybox);
    }

    private static string RescuePath(string hostPath, string root)
        => "/" + (root == "/" ? hostPath.TrimStart('/') : Path.GetRelativePath(root, hostPath));
}
