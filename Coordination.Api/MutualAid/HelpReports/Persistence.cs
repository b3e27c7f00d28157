using Coordination.Api.Boundaries;
using Coordination.Api.Boundaries.Hamlets;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using static Coordination.Api.Data.CoordinationDb;

namespace Coordination.Api.MutualAid.HelpReports;

sealed class HelpReportConfiguration : IEntityTypeConfiguration<HelpReport>
{
    public void Configure(EntityTypeBuilder<HelpReport> e)
    {
        e.ToTable("help_reports", t =>
        {
            t.HasCheckConstraint("ck_help_reports_status", "status IN " + In(HelpReportStatus.All));
            t.HasCheckConstraint("ck_help_reports_people", "people IS NULL OR people > 0");
            t.HasCheckConstraint("ck_help_reports_phone", "phone ~ '^\\+[1-9][0-9]{6,14}$'");
            t.HasCheckConstraint("ck_help_reports_outcome",
                "(status <> 'duplicate' OR duplicate_of IS NOT NULL) AND (status <> 'converted' OR aid_request_id IS NOT NULL) AND (status = 'open' OR handled_at IS NOT NULL)");
        });
        e.Property(r => r.Phone).HasMaxLength(16);
        e.Property(r => r.Place).HasMaxLength(HelpReportIntake.MaxPlace);
        e.Property(r => r.What).HasMaxLength(HelpReportIntake.MaxText);
        e.Property(r => r.RawText).HasMaxLength(HelpReportIntake.MaxText);
        e.Property(r => r.Status).HasMaxLength(20);
        e.Property(r => r.Note).HasMaxLength(HelpReportsApi.MaxNote);
        e.Property(r => r.HandledBy).HasMaxLength(256);
        e.Property(r => r.Channel).HasMaxLength(40);
        e.Property(r => r.ExternalId).HasMaxLength(64);
        e.HasOne<Commune>().WithMany().HasForeignKey(r => r.CommuneCode);
        e.HasOne<Hamlet>().WithMany().HasForeignKey(r => r.HamletId).OnDelete(DeleteBehavior.SetNull);
        e.HasOne<HelpReport>().WithMany().HasForeignKey(r => r.DuplicateOf);
        e.HasOne<AidRequest>().WithMany().HasForeignKey(r => r.AidRequestId);
        // A repeated delivery of the same inbound message files no second report.
        e.HasIndex(r => new { r.Channel, r.ExternalId }).IsUnique();
        // The leader's screen: a commune's open reports, oldest first.
        e.HasIndex(r => new { r.CommuneCode, r.CreatedAt }).HasFilter("status = 'open'").HasDatabaseName("ix_help_reports_open_by_commune");
        e.HasIndex(r => new { r.CommuneCode, r.Status, r.CreatedAt });
        // The rate limit per number.
        e.HasIndex(r => new { r.Phone, r.CreatedAt });
    }
}
