namespace RescueKit.Media.Steps;

/// <summary>
/// Adds the resolved modules and firmware and a modules.dep index built for exactly that subset, so modprobe inside the
/// rescue system never names a module that is not there.
/// </summary>
public sealed class AddModulesStep : IBuildStep
{
    public string Title => "Adding kernel modules and firmware";

    public void Run(BuildContext context, CancellationToken cancellationToken)
    {
        var kernel = context.Kernel!;
        var set = context.ModuleSet!;
        var modulesDir = kernel.ModulesDirectory;
        var rescueModulesDir = $"lib/modules/{kernel.Version}";

        // depmod reads the modules through a farm of symlinks: nothing is copied, and its output is what we ship.
        var farm = Path.Combine(context.WorkDirectory, "depmod");
        var farmModules = Path.Combine(farm, "lib", "modules", kernel.Version);
        Directory.CreateDirectory(farmModules);
        foreach (var rel in set.Modules)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var host = Path.Combine(modulesDir, rel);
            context.Rootfs.AddHostFile(host, $"{rescueModulesDir}/{rel}", "/");
            var link = Path.Combine(farmModules, rel);
            Directory.CreateDirectory(Path.GetDirectoryName(link)!);
            File.CreateSymbolicLink(link, host);
        }
        foreach (var meta in set.MetadataFiles)
            File.Copy(Path.Combine(modulesDir, meta), Path.Combine(farmModules, meta), overwrite: true);

        context.Runner.Run(["depmod", "-b", farm, kernel.Version], cancellationToken: cancellationToken);

        foreach (var file in Directory.EnumerateFiles(farmModules, "modules.*").Order(StringComparer.Ordinal))
            context.Rootfs.AddGenerated($"{rescueModulesDir}/{Path.GetFileName(file)}", File.ReadAllBytes(file));

        foreach (var fw in set.Firmware)
            context.Rootfs.AddHostFile(fw, fw, "/");
    }
}
