namespace RescueKit.Formats.PartitionTables;

/// <summary>Well-known GPT partition type GUIDs (UEFI 2.x 5.3.3 and the Microsoft/freedesktop registries).</summary>
public static class GptPartitionTypes
{
    public static readonly Guid EfiSystem = new("C12A7328-F81F-11D2-BA4B-00A0C93EC93B");
    public static readonly Guid BasicData = new("EBD0A0A2-B9E5-4433-87C0-68B6B72699C7");
    public static readonly Guid LinuxFilesystem = new("0FC63DAF-8483-4772-8E79-3D69D8477DE4");
    /// <summary>Linux reserved: other systems leave it alone (RescueKit's spare boot slot).</summary>
    public static readonly Guid LinuxReserved = new("8DA63339-0007-60C0-C436-083AC8230908");
    public static readonly Guid BiosBoot = new("21686148-6449-6E6F-744E-656564454649");
}
