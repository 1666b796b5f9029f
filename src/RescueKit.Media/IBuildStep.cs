namespace RescueKit.Media;

/// <summary>One named step of an image build; steps run in list order over one <see cref="BuildContext"/>.</summary>
public interface IBuildStep
{
    /// <summary>What the user sees while the step runs ("Packing the initramfs").</summary>
    string Title { get; }

    void Run(BuildContext context, CancellationToken cancellationToken);
}

/// <summary>Tells a front-end how far a build is; the CLI shows it as a progress bar or as log lines.</summary>
public interface IBuildProgress
{
    void StepStarted(int index, int count, string title);
    void StepFinished(int index, int count, string title, TimeSpan elapsed);
}
