using System.CommandLine;
using RescueKit.Core;
using RescueKit.Media;
using Serilog;

namespace RescueKit.Cli.Commands;

/// <summary>`rescuekit mkiso`: any directory to an ISO 9660 image (Rock Ridge, Joliet), optionally bootable and hybrid.</summary>
internal sealed class MkisoCommand : RescueCommand
{
    private readonly Argument<string> _dir = new("DIR") { Description = "Directory whose contents become the ISO's root" };
    private readonly Option<string> _out = new("--out") { Description = "ISO file to write", Required = true };
    private readonly Option<string> _label = new("--label") { Description = "Volume label (A-Z 0-9 _, at most 32)", DefaultValueFactory = _ => "CDROM" };
    private readonly Option<string?> _bios = new("--bios-boot") { Description = "isolinux.bin inside DIR: a BIOS El Torito entry with boot-info-table" };
    private readonly Option<string?> _efi = new("--efi-boot") { Description = "A FAT image inside DIR: the UEFI El Torito entry" };
    private readonly Option<bool> _hybrid = new("--hybrid") { Description = "Add an isohybrid MBR+GPT so the image also boots written to a USB stick" };

    public MkisoCommand() : base("mkiso", "Write a directory as an ISO 9660 image with Rock Ridge and Joliet (a mkisofs for hosts without one)")
    {
        Arguments.Add(_dir);
        Options.Add(_out);
        Options.Add(_label);
        Options.Add(_bios);
        Options.Add(_efi);
        Options.Add(_hybrid);
    }

    protected override int Execute(ParseResult result, ILogger log, CancellationToken cancellationToken)
    {
        var label = result.GetValue(_label)!;
        var output = result.GetValue(_out)!;
        try
        {
            DirectoryIso.Write(new DirectoryIsoRequest(result.GetValue(_dir)!, output, label, GlobalOptions.BuildTime(),
                result.GetValue(_bios), result.GetValue(_efi), result.GetValue(_hybrid)));
        }
        catch (ArgumentException e)
        {
            throw new BadInputException(e.Message, e);
        }
        log.Information("Wrote {Iso} ({Size} bytes) from {Source}", output, new FileInfo(output).Length, result.GetValue(_dir));
        Console.WriteLine($"ISO: {output} ({new FileInfo(output).Length:N0} bytes)");
        return ExitCodes.Ok;
    }
}
