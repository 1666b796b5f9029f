using RescueKit.Discovery;

namespace RescueKit.Media.Steps;

/// <summary>Picks the kernel the rescue system boots: the running one, or the newest installed when /boot lacks it.</summary>
internal sealed class LocateKernelStep : IBuildStep
{
    public string Title => "Locating the kernel";

    public void Run(BuildContext context, CancellationToken cancellationToken)
    {
        var kernel = new KernelLocator().Locate(context.Config.Kernel, context.Config.HostRoot);
        if (kernel.Note is not null)
        {
            context.Log.Warning("{Note}", kernel.Note);
            context.Notes.Add(kernel.Note);
        }
        context.Log.Information("Kernel {Version} ({Image})", kernel.Version, kernel.ImagePath);
        context.Kernel = kernel;
    }
}
