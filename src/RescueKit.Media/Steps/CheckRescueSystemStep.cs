using RescueKit.Core;
using RescueKit.Discovery;
using RescueKit.Media.Rootfs;

namespace RescueKit.Media.Steps;

/// <summary>The rescue tree is checked before it is packed (<see cref="RescueSystemCheck"/>): a failure names what is
/// wrong and stops the build, so no medium that cannot load its drivers or run its tools is written.</summary>
internal sealed class CheckRescueSystemStep : IBuildStep
{
    public string Title => "Checking the rescue system";

    public void Run(BuildContext context, CancellationToken cancellationToken)
    {
        var root = context.Config.HostRoot;
        var problems = RescueSystemCheck.Problems(context.Rootfs, context.Kernel!.Version, context.ShippedModules,
            soname => LibraryClosure.FindOnHost(soname, root) is not null);
        if (problems.Count == 0) return;
        foreach (var p in problems) context.Log.Error("Rescue system check: {Problem}", p);
        var more = problems.Count == 1 ? "" : $" (and {problems.Count - 1} more problems, in the log)";
        throw new RescueKitException(
            $"the rescue system fails its own check: {problems[0]}{more}; no medium was written", ExitCodes.CheckFailed);
    }
}
