using RescueKit.Core.Restore;

namespace RescueKit.Restore.Tui;

/// <summary>What the review's last page offers: the button that ends it (restore, or save the plan and quit on a dry
/// run), the plan's script to read, and saving the plan where the caller keeps it (null: no such button).</summary>
public sealed record ReviewChoices(string FinalAction, Func<RestorePlan, string> Script, Func<RestorePlan, string>? Save = null);
