namespace RescueKit.Media.Usb;

/// <summary>
/// Where `mkrescue --output usb` writes: a whole disk (<see cref="IsDevice"/>, checked by <see cref="UsbDevice.Inspect"/>)
/// or an image file of <see cref="ImageBytes"/> (null: the existing file's size).
/// </summary>
/// <param name="DataBytes">The data partition's size; null = the rest of the disk.</param>
/// <param name="Wipe">Overwrite a disk or image that is not a RescueKit stick, or re-lay out one that is (its backups are lost).</param>
/// <param name="DeviceOption">How messages name a device target (mkbackup's is --usb-device).</param>
public sealed record UsbTarget(string Path, bool IsDevice, long? ImageBytes, long? DataBytes, bool Wipe, string DeviceOption = "--device");
