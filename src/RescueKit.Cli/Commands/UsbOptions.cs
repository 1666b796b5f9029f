using System.CommandLine;
using RescueKit.Core;
using RescueKit.Host;
using RescueKit.Media.BackupMedia;
using RescueKit.Media.Usb;

namespace RescueKit.Cli.Commands;

/// <summary>Where `--output usb` writes (mkrescue, mkbackup): a whole disk or an image file, checked before any build work (docs/usb.md).</summary>
internal sealed class UsbOptions
{
    private readonly Option<string?> _device;
    private readonly Option<string?> _image = new("--image") { Description = "usb: write a disk image FILE instead (dd it to a stick later)" };
    private readonly Option<string?> _size = new("--size") { Description = "usb: the size of a new --image (e.g. 2G, 1500MiB)" };
    private readonly Option<string> _dataSize = new("--data-size")
    {
        Description = "usb: the size of the data partition for backups, or 'rest' of the disk",
        DefaultValueFactory = _ => "rest",
    };
    private readonly Option<bool> _wipe = new("--wipe") { Description = "usb: overwrite a disk that is not a RescueKit stick, or lay a RescueKit stick out anew (its backups are lost)" };
    private readonly Option<bool> _yes = new("--yes") { Description = "usb: do not ask before writing the stick's disk" };

    /// <param name="deviceOption">The name of the stick's disk option: mkbackup has --device for the disks to back up,
    /// so its stick is --usb-device.</param>
    public UsbOptions(string deviceOption = "--device") =>
        _device = new(deviceOption) { Description = "usb: the whole disk of the USB stick (e.g. /dev/sdb); everything on it is lost unless it is a RescueKit stick" };

    /// <summary>The --image given, to leave it out of a backup taken while it is written.</summary>
    public string? ImagePath(ParseResult result) => result.GetValue(_image) is { } image ? Path.GetFullPath(image) : null;

    public void AddTo(Command command)
    {
        foreach (var o in new Option[] { _device, _image, _size, _dataSize, _wipe, _yes }) command.Options.Add(o);
    }

    /// <summary>Refuses any of the usb options when the output is something else.</summary>
    public void RefuseUnlessUsb(ParseResult result, string output)
    {
        foreach (var o in new Option[] { _device, _image, _size, _wipe, _yes })
            if (result.GetResult(o) is { Implicit: false })
                throw new BadInputException($"{o.Name} is for --output usb, not --output {output}: leave it out or give --output usb");
        if (result.GetResult(_dataSize) is { Implicit: false })
            throw new BadInputException($"--data-size is for --output usb, not --output {output}: leave it out or give --output usb");
    }

    /// <summary>The checked target: exactly one of --device and --image, sizes that parse, a disk that may be written
    /// (asked unless --yes), big enough for the smallest stick.</summary>
    public UsbTarget Target(ParseResult result, IToolRunner runner)
    {
        var device = result.GetValue(_device);
        var image = result.GetValue(_image);
        if ((device is null) == (image is null))
            throw new BadInputException($"--output usb writes to a stick or an image: give {_device.Name} /dev/sdX or --image FILE --size SIZE (one of them)");
        var dataText = result.GetValue(_dataSize)!;
        long? data = dataText == "rest" ? null : MediaSize.Parse(dataText, "--data-size");
        if (data is < UsbLayout.MinimumDataBytes)
            throw new BadInputException($"--data-size {dataText} is below the smallest data partition, {UsbLayout.Size(UsbLayout.MinimumDataBytes)}: give a bigger one or 'rest'");
        var wipe = result.GetValue(_wipe);
        if (image is not null)
        {
            if (result.GetResult(_yes) is { Implicit: false })
                throw new BadInputException($"--yes is for {_device.Name}: an --image is written without asking");
            var sizeText = result.GetValue(_size);
            long? size = sizeText is null ? null : MediaSize.Parse(sizeText, "--size");
            if (size is null && !File.Exists(image))
                throw new BadInputException($"--image {image} does not exist: give its size with --size SIZE (e.g. --size 2G)");
            if (Directory.Exists(image))
                throw new BadInputException($"--image {image} is a directory: give a file name");
            var target = new UsbTarget(Path.GetFullPath(image), false, size, data, wipe);
            var probe = UsbStickProbe.Probe(target);
            if (probe.Stick is null) UsbLayout.Plan(probe.Bytes, UsbLayout.MinimumSlotBytes, data, $"--image {image}");
            return target;
        }
        if (result.GetValue(_size) is not null)
            throw new BadInputException($"--size is for --image: a {_device.Name} is as big as it is");
        var (bytes, description) = UsbDevice.Inspect(runner, device!, _device.Name);
        var disk = new UsbTarget(device!, true, null, data, wipe, _device.Name);
        var state = UsbStickProbe.Probe(disk);
        if (state.Stick is null) UsbLayout.Plan(bytes, UsbLayout.MinimumSlotBytes, data, $"{_device.Name} {device} ({description})");
        if (!result.GetValue(_yes)) Confirm(_device.Name, device!, description, state.Stick is not null && !wipe);
        return disk;
    }

    /// <summary>Asks on the terminal; without one (a script), --yes is the only way to write a disk.</summary>
    private static void Confirm(string option, string device, string description, bool update)
    {
        if (Console.IsInputRedirected)
            throw new BadInputException($"{option} {device} would be written and there is no terminal to ask: give --yes to confirm");
        Console.Write($"{(update ? $"Update the boot files of the RescueKit stick {description} (its backups are kept)?" : $"Erase {description} and write the rescue system to it? Everything on it is lost.")} Type yes: ");
        if (Console.ReadLine()?.Trim() != "yes")
            throw new RescueKitException($"not confirmed: {device} was not written", ExitCodes.Cancelled);
    }
}
