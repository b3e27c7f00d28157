using Coordination.Api.Boundaries;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using static Coordination.Api.Data.CoordinationDb;

namespace Coordination.Api.MutualAid;

sealed class ResourceTypeConfiguration : IEntityTypeConfiguration<ResourceType>
{
    public void Configure(EntityTypeBuilder<ResourceType> e)
    {
        e.HasKey(t => t.Code);
        e.Property(t => t.Code).HasMaxLength(40);
        e.Property(t => t.Pillar).HasMaxLength(20);
        e.ToTable(t => t.HasCheckConstraint("ck_resource_types_pillar", "pillar IN " + In(Pillar.All)));
        e.HasData(Catalogue.Default);
    }
}

sealed class InventoryItemConfiguration : IEntityTypeConfiguration<InventoryItem>
{
    public void Configure(EntityTypeBuilder<InventoryItem> e)
    {
        e.ToTable("inventory", t => t.HasCheckConstraint("ck_inventory_quantities", "on_hand >= 0 AND reserved >= 0 AND reserved <= on_hand"));
        e.HasKey(i => new { i.CommuneCode, i.ResourceType });
        e.HasIndex(i => new { i.ResourceType, i.CommuneCode });
        e.HasOne<Commune>().WithMany().HasForeignKey(i => i.CommuneCode);
        e.HasOne<ResourceType>().WithMany().HasForeignKey(i => i.ResourceType);
        e.Property(i => i.Available).HasComputedColumnSql("on_hand - reserved", stored: true);
    }
}

sealed class AidRequestConfiguration : IEntityTypeConfiguration<AidRequest>
{
    public void Configure(EntityTypeBuilder<AidRequest> e)
    {
        e.HasOne<Commune>().WithMany().HasForeignKey(r => r.CommuneCode);
        e.Property(r => r.Location).HasColumnType("geometry(Point,4326)");
        e.Property(r => r.Hamlet).HasMaxLength(100);
        e.HasOne<Boundaries.Hamlets.Hamlet>().WithMany().HasForeignKey(r => r.HamletId).OnDelete(DeleteBehavior.SetNull);
        e.Property(r => r.Hazard).HasMaxLength(20);
        e.Property(r => r.Urgency).HasMaxLength(20);
        e.Property(r => r.Status).HasMaxLength(20);
        e.Property(r => r.Description).HasMaxLength(2000);
        e.HasMany(r => r.Lines).WithOne().HasForeignKey(l => l.RequestId).OnDelete(DeleteBehavior.Cascade);
        e.HasIndex(r => new { r.Status, r.CommuneCode });
        e.ToTable(t =>
        {
            t.HasCheckConstraint("ck_aid_requests_status", "status IN ('draft','open','closed','cancelled')");
            t.HasCheckConstraint("ck_aid_requests_urgency", "urgency IN " + In(Urgency.All));
        });
    }
}

sealed class AidRequestLineConfiguration : IEntityTypeConfiguration<AidRequestLine>
{
    public void Configure(EntityTypeBuilder<AidRequestLine> e)
    {
        e.HasOne<ResourceType>().WithMany().HasForeignKey(l => l.ResourceType);
        e.HasIndex(l => new { l.RequestId, l.ResourceType }).IsUnique();
        e.ToTable(t => t.HasCheckConstraint("ck_aid_request_lines_quantity", "quantity > 0"));
    }
}

sealed class PledgeConfiguration : IEntityTypeConfiguration<Pledge>
{
    public void Configure(EntityTypeBuilder<Pledge> e)
    {
        e.HasOne<AidRequestLine>().WithMany().HasForeignKey(p => p.RequestLineId).OnDelete(DeleteBehavior.Cascade);
        e.HasOne<Commune>().WithMany().HasForeignKey(p => p.DonorCode);
        e.Property(p => p.Status).HasMaxLength(20);
        e.HasIndex(p => p.RequestLineId);
        e.HasIndex(p => new { p.DonorCode, p.Status });
        e.ToTable(t =>
        {
            t.HasCheckConstraint("ck_pledges_status", "status IN ('requested','accepted','declined','cancelled','dispatched','arrived','returned','consumed')");
            t.HasCheckConstraint("ck_pledges_quantity", "quantity_requested > 0 AND (quantity_accepted IS NULL OR (quantity_accepted > 0 AND quantity_accepted <= quantity_requested))");
        });
    }
}

sealed class AgreementConfiguration : IEntityTypeConfiguration<Agreement>
{
    public void Configure(EntityTypeBuilder<Agreement> e)
    {
        e.ToTable(t => t.HasCheckConstraint("ck_agreements_order", "commune_a < commune_b"));
        e.HasOne<Commune>().WithMany().HasForeignKey(a => a.CommuneA);
        e.HasOne<Commune>().WithMany().HasForeignKey(a => a.CommuneB);
        e.HasIndex(a => a.CommuneA);
        e.HasIndex(a => a.CommuneB);
        e.HasMany(a => a.Lines).WithOne().HasForeignKey(l => l.AgreementId).OnDelete(DeleteBehavior.Cascade);
    }
}

sealed class AgreementLineConfiguration : IEntityTypeConfiguration<AgreementLine>
{
    public void Configure(EntityTypeBuilder<AgreementLine> e)
    {
        e.HasKey(l => new { l.AgreementId, l.LenderCode, l.ResourceType });
        e.HasOne<ResourceType>().WithMany().HasForeignKey(l => l.ResourceType);
        e.ToTable(t => t.HasCheckConstraint("ck_agreement_lines_quantity", "max_quantity > 0"));
    }
}

sealed class SmsConfirmationConfiguration : IEntityTypeConfiguration<SmsConfirmation>
{
    public void Configure(EntityTypeBuilder<SmsConfirmation> e)
    {
        e.Property(c => c.Phone).HasMaxLength(16);
        e.Property(c => c.Code).HasMaxLength(8);
        e.Property(c => c.Command).HasMaxLength(1600);
        e.HasIndex(c => new { c.Phone, c.Code });
    }
}

sealed class NotificationSmsBudgetConfiguration : IEntityTypeConfiguration<Sms.NotificationSmsBudget>
{
    public void Configure(EntityTypeBuilder<Sms.NotificationSmsBudget> e)
    {
        e.HasKey(b => b.Phone);
        e.Property(b => b.Phone).HasMaxLength(16);
        e.HasIndex(b => b.WindowStart).HasFilter("held > 0");
    }
}

sealed class NotificationSmsCursorConfiguration : IEntityTypeConfiguration<NotificationSmsCursor>
{
    public void Configure(EntityTypeBuilder<NotificationSmsCursor> e)
    {
        e.Property(c => c.Id).ValueGeneratedNever();
        e.HasData(new NotificationSmsCursor { Id = 1, LastNotificationId = 0, UpdatedAt = DateTime.UnixEpoch });
    }
}

sealed class NotificationConfiguration : IEntityTypeConfiguration<Notification>
{
    public void Configure(EntityTypeBuilder<Notification> e)
    {
        e.HasOne<Commune>().WithMany().HasForeignKey(n => n.CommuneCode);
        e.Property(n => n.Audience).HasMaxLength(10);
        e.Property(n => n.Kind).HasMaxLength(40);
        e.HasIndex(n => new { n.CommuneCode, n.Id });
        e.ToTable(t => t.HasCheckConstraint("ck_notifications_audience", "audience IN ('commune','command')"));
    }
}
