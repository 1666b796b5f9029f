namespace RescueKit.Discovery;

/// <summary>The kernel the rescue system boots: its version (as <c>uname -r</c> prints it), its image, its module
/// tree, whether it is the kernel running now, and a note when it was chosen as a fallback.</summary>
public sealed record KernelImage(string Version, string ImagePath, string ModulesDirectory, bool IsRunningKernel, string? Note);
