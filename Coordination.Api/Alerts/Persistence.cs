using Coordination.Api.Boundaries;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using static Coordination.Api.Data.CoordinationDb;

namespace Coordination.Api.Alerts;

sealed class SubscriberConfiguration : IEntityTypeConfiguration<Subscriber>
{
    public void Configure(EntityTypeBuilder<Subscriber> e)
    {
        e.Property(x => x.Phone).HasMaxLength(16);
        e.HasIndex(x => x.Phone).IsUnique();
        e.Property(x => x.ConsentSource).HasMaxLength(10);
        e.Property(x => x.ConsentBy).HasMaxLength(100);
        e.Property(x => x.Note).HasMaxLength(200);
        e.HasMany(x => x.Communes).WithOne().HasForeignKey(c => c.SubscriberId).OnDelete(DeleteBehavior.Cascade);
        e.ToTable(t =>
        {
            t.HasCheckConstraint("ck_subscribers_phone", "phone ~ '^\\+[1-9][0-9]{6,14}$'");
            t.HasCheckConstraint("ck_subscribers_consent", "consent_source IN " + In(ConsentSource.All));
        });
    }
}

sealed class SubscriberCommuneConfiguration : IEntityTypeConfiguration<SubscriberCommune>
{
    public void Configure(EntityTypeBuilder<SubscriberCommune> e)
    {
        e.HasKey(x => new { x.SubscriberId, x.CommuneCode });
        e.HasIndex(x => new { x.CommuneCode, x.SubscriberId });
        e.HasOne<Commune>().WithMany().HasForeignKey(x => x.CommuneCode).OnDelete(DeleteBehavior.Cascade);
    }
}

sealed class SmsTemplateConfiguration : IEntityTypeConfiguration<SmsTemplate>
{
    public void Configure(EntityTypeBuilder<SmsTemplate> e)
    {
        e.Property(x => x.Name).HasMaxLength(100);
        e.HasIndex(x => x.Name).IsUnique();
        e.Property(x => x.RegistrationRef).HasMaxLength(60);
        e.Property(x => x.Text).HasMaxLength(1000);
        e.Property(x => x.Kind).HasMaxLength(10).HasDefaultValue(TemplateKind.Warning);
        e.ToTable(t => t.HasCheckConstraint("ck_sms_templates_kind", "kind IN " + In(TemplateKind.All)));
    }
}

sealed class AlertConfiguration : IEntityTypeConfiguration<Alert>
{
    public void Configure(EntityTypeBuilder<Alert> e)
    {
        e.Property(x => x.Identifier).HasMaxLength(100);
        e.HasIndex(x => x.Identifier).IsUnique();
        foreach (var p in new[] { nameof(Alert.Status), nameof(Alert.MsgType), nameof(Alert.Category), nameof(Alert.Urgency), nameof(Alert.Severity), nameof(Alert.Certainty), nameof(Alert.State) })
            e.Property(p).HasMaxLength(20);
        e.Property(x => x.Event).HasMaxLength(100);
        e.Property(x => x.Headline).HasMaxLength(200);
        e.Property(x => x.Description).HasMaxLength(2000);
        e.Property(x => x.Instruction).HasMaxLength(1000);
        e.Property(x => x.Body).HasMaxLength(1600);
        e.Property(x => x.BodyFolded).HasMaxLength(1600);
        e.Property(x => x.Area).HasColumnType("geometry(Polygon,4326)");
        e.Property(x => x.CircleCentre).HasColumnType("geometry(Point,4326)");
        e.HasOne<Alert>().WithMany().HasForeignKey(x => x.ReferencesAlertId);
        e.HasOne<SmsTemplate>().WithMany().HasForeignKey(x => x.TemplateId);
        e.HasMany(x => x.Communes).WithOne().HasForeignKey(c => c.AlertId).OnDelete(DeleteBehavior.Cascade);
        // The scheduler looks for active alerts whose next round is due.
        e.HasIndex(x => x.NextRoundAt).HasFilter("state = 'active'");
        e.ToTable(t =>
        {
            t.HasCheckConstraint("ck_alerts_status", "status IN " + In(CapStatus.Allowed));
            t.HasCheckConstraint("ck_alerts_msg_type", "msg_type IN ('Alert','Update','Cancel')");
            t.HasCheckConstraint("ck_alerts_state", "state IN ('awaiting_approval','active','ended','rejected')");
            t.HasCheckConstraint("ck_alerts_times", "expires > effective");
            t.HasCheckConstraint("ck_alerts_repeat", "repeat_every_minutes IS NULL OR repeat_every_minutes BETWEEN 15 AND 1440");
            t.HasCheckConstraint("ck_alerts_references", "(msg_type = 'Alert') = (references_alert_id IS NULL)");
        });
    }
}

sealed class AlertCommuneConfiguration : IEntityTypeConfiguration<AlertCommune>
{
    public void Configure(EntityTypeBuilder<AlertCommune> e)
    {
        e.HasKey(x => new { x.AlertId, x.CommuneCode });
        e.HasOne<Commune>().WithMany().HasForeignKey(x => x.CommuneCode);
    }
}

sealed class AlertRoundConfiguration : IEntityTypeConfiguration<AlertRound>
{
    public void Configure(EntityTypeBuilder<AlertRound> e)
    {
        e.HasOne<Alert>().WithMany().HasForeignKey(x => x.AlertId).OnDelete(DeleteBehavior.Cascade);
        e.HasIndex(x => new { x.AlertId, x.Number }).IsUnique();
    }
}

sealed class SmsMessageConfiguration : IEntityTypeConfiguration<SmsMessage>
{
    public void Configure(EntityTypeBuilder<SmsMessage> e)
    {
        e.Property(x => x.Phone).HasMaxLength(16);
        e.Property(x => x.Status).HasMaxLength(12);
        e.Property(x => x.TwilioSid).HasMaxLength(40);
        e.Property(x => x.Provider).HasMaxLength(40);
        e.Property(x => x.ErrorMessage).HasMaxLength(300);
        e.Property(x => x.Kind).HasMaxLength(16).HasDefaultValue(SmsKind.Alert);
        e.Property(x => x.Body).HasMaxLength(1600);
        // No foreign key to alert_rounds: the fan-out inserts a million rows of a round it created in the same
        // transaction, and a per-row RI check cost a fifth of the enqueue time (bench); rounds are never deleted.
        // Exactly one message per (round, number): the fan-out relies on it, and a retried fan-out cannot double.
        e.HasIndex(x => new { x.RoundId, x.Phone }).IsUnique();
        e.HasIndex(x => new { x.AlertId, x.Status });
        e.HasIndex(x => x.Phone);
        // The dispatcher's queue and the reconciler's work list: partial, so delivered history costs them nothing.
        e.HasIndex(x => new { x.NextAttemptAt, x.Id }).HasDatabaseName("ix_sms_messages_queue").HasFilter("status = 'queued'");
        e.HasIndex(x => x.LeaseUntil).HasDatabaseName("ix_sms_messages_in_flight").HasFilter("status IN ('sending','uncertain')");
        e.HasIndex(x => x.TwilioSid).HasFilter("twilio_sid IS NOT NULL");
        e.ToTable(t =>
        {
            t.HasCheckConstraint("ck_sms_messages_status", "status IN " + In(SmsStatus.All));
            t.HasCheckConstraint("ck_sms_messages_kind", "kind IN " + In(SmsKind.All));
            // An alert's message has its round and takes the alert's text; any other message carries its own.
            t.HasCheckConstraint("ck_sms_messages_text", "(kind = 'alert') = (alert_id IS NOT NULL AND round_id IS NOT NULL) AND (kind = 'alert' OR body IS NOT NULL)");
        });
    }
}

sealed class InboundSmsConfiguration : IEntityTypeConfiguration<InboundSms>
{
    public void Configure(EntityTypeBuilder<InboundSms> e)
    {
        e.ToTable("inbound_sms");
        e.Property(x => x.Channel).HasMaxLength(40);
        e.Property(x => x.ExternalId).HasMaxLength(64);
        e.Property(x => x.From).HasMaxLength(20);
        e.Property(x => x.Body).HasMaxLength(1600);
        e.Property(x => x.Keyword).HasMaxLength(20);
        e.Property(x => x.Reply).HasMaxLength(1600);
        e.HasIndex(x => new { x.Channel, x.ExternalId }).IsUnique().HasFilter("external_id IS NOT NULL");
        e.HasIndex(x => x.From);
    }
}
