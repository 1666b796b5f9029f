using RescueKit.Discovery;

namespace RescueKit.Media.Steps;

/// <summary>
/// Resolves the kernel modules (with dependencies, soft dependencies and firmware) the rescue system carries, and the
/// part of them the initramfs holds itself (<see cref="BootModules"/>).
/// </summary>
/// <param name="allInInitramfs">
/// A rescue system booted from the network has no medium to keep modules on: its initramfs holds every module (PXE).
/// </param>
internal sealed class ResolveModulesStep(bool allInInitramfs = false) : IBuildStep
{
    public string Title => "Resolving kernel modules";

    public void Run(BuildContext context, CancellationToken cancellationToken)
    {
        var kernel = context.Kernel!;
        var closure = new ModuleClosure(context.Log);
        var set = closure.Resolve(kernel, context.Config.Modules, RescueTools.EssentialModules, context.Config.HostRoot);
        var boot = allInInitramfs ? set : BootModules.Select(set, closure, kernel, context.Config.HostRoot);
        context.Log.Information("{Count} modules, {Firmware} firmware files; {Boot} modules and {BootFirmware} firmware files in the initramfs{Rest}",
            set.Modules.Count, set.Firmware.Count, boot.Modules.Count, boot.Firmware.Count, allInInitramfs ? "" : ", the rest on the medium");
        if (set.MissingFirmware.Count > 0)
            context.Log.Debug("Firmware named by modules but absent on the host: {Missing}", string.Join(", ", set.MissingFirmware));
        context.ModuleSet = set;
        context.BootModuleSet = boot;
    }
}
