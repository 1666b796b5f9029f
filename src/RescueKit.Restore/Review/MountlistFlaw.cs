namespace RescueKit.Restore.Review;

/// <summary>
/// Something wrong with the mountlist as a person edited it, as Mondo's evaluate_mountlist reports them: an
/// <see cref="IsError"/> flaw stops the restore until it is fixed; a warning is said and the restore may go on.
/// </summary>
/// <param name="Device">The device the flaw is about, or null when it is about the whole list ("/ is missing").</param>
public sealed record MountlistFlaw(string? Device, string Problem, bool IsError = true)
{
    public override string ToString() => Device is null ? Problem : $"{Device}: {Problem}";
}
