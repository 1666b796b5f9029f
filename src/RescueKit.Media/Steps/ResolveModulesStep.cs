using RescueKit.Discovery;

namespace RescueKit.Media.Steps;

/// <summary>Resolves the kernel modules (with dependencies, soft dependencies and firmware) the rescue system carries.</summary>
public sealed class ResolveModulesStep : IBuildStep
{
    public string Title => "Resolving kernel modules";

    public void Run(BuildContext context, CancellationToken cancellationToken)
    {
        var kernel = context.Kernel!;
        var set = new ModuleClosure(context.Runner, context.Log)
            .Resolve(kernel, context.Config.Modules, RescueTools.EssentialModules, context.Config.HostRoot);
        context.Log.Information("{Count} modules, {Firmware} firmware files", set.Modules.Count, set.Firmware.Count);
        if (set.MissingFirmware.Count > 0)
            context.Log.Debug("Firmware named by modules but absent on the host: {Missing}", string.Join(", ", set.MissingFirmware));
        context.ModuleSet = set;
    }
}
