using RescueKit.Core;

namespace RescueKit.Media.Steps;

/// <summary>Checks the programs only a USB stick needs, before the long work: syslinux (the mtools installer) and mke2fs.</summary>
internal sealed class CheckUsbToolsStep : IBuildStep
{
    public static readonly (string Program, string Package)[] Programs = [("syslinux", "syslinux"), ("mcopy", "mtools"), ("mke2fs", "e2fsprogs")];

    public string Title => "Checking the programs a USB stick needs";

    public void Run(BuildContext context, CancellationToken cancellationToken)
    {
        var missing = Programs.Where(p => context.Runner.Find(p.Program) is null).ToList();
        if (missing.Count > 0)
            throw new MissingPrerequisiteException(string.Join(", ", missing.Select(m => $"the program '{m.Program}'")),
                string.Join(' ', missing.Select(m => m.Package).Distinct(StringComparer.Ordinal)), "for --output usb");
    }
}
