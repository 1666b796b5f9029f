using RescueKit.Core;
using RescueKit.Host;
using RescueKit.Media.Steps;
using RescueKit.Media.Usb;
using Serilog;

namespace RescueKit.Media;

/// <summary>Builds a rescue medium as a flat list of named steps over one <see cref="BuildContext"/>.</summary>
public sealed class RescueMediaBuilder(IToolRunner runner, ILogger log)
{
    /// <summary>The steps of `mkrescue --output iso`, in order (docs/mkrescue.md lists the same).</summary>
    public static IReadOnlyList<IBuildStep> IsoSteps { get; } =
    [
        new CheckPrerequisitesStep(),
        new LocateKernelStep(),
        new LocateBootFilesStep(),
        new ResolveModulesStep(),
        new CreateSkeletonStep(),
        new AddProgramsStep(),
        new AddModulesStep(),
        new AddInitStep(),
        new CheckRescueSystemStep(),
        new PackInitramfsStep(),
        new BuildEfiImageStep(),
        new WriteIsoStep(),
    ];

    /// <summary>The steps of `mkbackup --output iso`: those of <see cref="IsoSteps"/>, the ISO written as
    /// <paramref name="series"/> (the rescue ISO with the backup on it, a numbered series when it needs more than one medium).</summary>
    public static IReadOnlyList<IBuildStep> BackupIsoSteps(WriteBackupIsoSeriesStep series) =>
        [.. IsoSteps.Select(s => s is WriteIsoStep ? series : s)];

    /// <summary>
    /// The steps of `mkrescue --output pxe`: those of <see cref="IsoSteps"/> up to the initramfs, with the network boot
    /// loaders in place of the ISO's and every module in the initramfs (there is no medium), then
    /// <paramref name="tree"/>, which adds the host to the PXE tree (docs/pxe.md).
    /// </summary>
    public static IReadOnlyList<IBuildStep> PxeSteps(WritePxeTreeStep tree) =>
    [
        .. IsoSteps.TakeWhile(s => s is not BuildEfiImageStep).Select(s => s switch
        {
            LocateBootFilesStep => new LocatePxeBootFilesStep(),
            ResolveModulesStep => new ResolveModulesStep(allInInitramfs: true),
            _ => s,
        }),
        tree,
    ];

    /// <summary>The steps of `mkrescue --output usb`: those of <see cref="IsoSteps"/>, the USB tools checked first and the
    /// stick written to <paramref name="target"/> instead of the ISO (docs/usb.md).</summary>
    public static IReadOnlyList<IBuildStep> UsbSteps(UsbTarget target) =>
        [.. IsoSteps.SelectMany<IBuildStep, IBuildStep>(s => s switch
        {
            CheckPrerequisitesStep => [s, new CheckUsbToolsStep()],
            WriteIsoStep => [new WriteUsbStep(target)],
            _ => [s],
        })];

    /// <summary>Runs every step; the scratch directory is removed and no output is left behind on failure.</summary>
    public BuildContext Build(RescueConfig config, IReadOnlyList<IBuildStep> steps, IBuildProgress? progress = null,
        CancellationToken cancellationToken = default)
    {
        if (!File.Exists(config.RescueBinary))
            throw new BadInputException($"the rescuekit binary to embed, {config.RescueBinary}, does not exist: build it with 'make publish'");
        Directory.CreateDirectory(config.OutputDirectory);
        var work = Directory.CreateTempSubdirectory("rescuekit-build-").FullName;
        var context = new BuildContext(config, runner, log, work);
        var ok = false;
        try
        {
            for (var i = 0; i < steps.Count; i++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var step = steps[i];
                progress?.StepStarted(i, steps.Count, step.Title);
                var started = System.Diagnostics.Stopwatch.GetTimestamp();
                step.Run(context, cancellationToken);
                var elapsed = System.Diagnostics.Stopwatch.GetElapsedTime(started);
                log.Debug("Step {Title} took {Seconds:F2} s", step.Title, elapsed.TotalSeconds);
                progress?.StepFinished(i, steps.Count, step.Title, elapsed);
            }
            ok = true;
            return context;
        }
        finally
        {
            try { Directory.Delete(work, recursive: true); }
            catch (IOException e) { log.Warning("Could not remove {Dir}: {Error}", work, e.Message); }
            if (!ok) log.Debug("Build failed; {Iso} was not written or replaced", config.IsoPath);
        }
    }
}
