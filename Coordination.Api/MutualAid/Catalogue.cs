namespace Coordination.Api.MutualAid;

/// <summary>The resource types shipped with the app (administrators add more through the API).</summary>
public static class Catalogue
{
    static ResourceType T(string code, string pillar, string vi, string en, string unitVi, string unitEn, bool returnable, bool persons = false) =>
        new() { Code = code, Pillar = pillar, NameVi = vi, NameEn = en, UnitVi = unitVi, UnitEn = unitEn, Returnable = returnable, Persons = persons,
            MaxPerLine = MaxPerLineOf[code] };

    /// <summary>
    /// The most one request line may ask for, by type: generous for a commune-level operation (Châu Khê sent 900
    /// person-turns to Con Cuông in July 2025; a commune's militia and youth forces number in the hundreds), small
    /// enough that a slip of the keyboard (1,000,000 boats) is refused. Administrators change them in the database.
    /// </summary>
    static readonly Dictionary<string, int> MaxPerLineOf = new()
    {
        ["commander"] = 50, ["liaison"] = 100, ["radio"] = 500, ["satellite_phone"] = 50,
        ["militia"] = 5_000, ["police"] = 1_000, ["youth_volunteers"] = 5_000, ["medical_team"] = 500,
        ["boat"] = 500, ["motor_boat"] = 200, ["truck"] = 300, ["excavator"] = 100, ["generator"] = 500, ["water_pump"] = 500,
        ["chainsaw"] = 500, ["life_jacket"] = 20_000, ["sandbag"] = 500_000,
        ["food_ration"] = 500_000, ["instant_noodles"] = 100_000, ["drinking_water"] = 100_000, ["medicine_kit"] = 10_000, ["tarpaulin"] = 50_000,
    };

    public static readonly ResourceType[] Default =
    [
        T("commander", Pillar.Command, "Cán bộ chỉ huy tại chỗ", "On-the-spot commander", "người", "persons", true, true),
        T("liaison", Pillar.Command, "Cán bộ liên lạc", "Liaison officer", "người", "persons", true, true),
        T("radio", Pillar.Command, "Bộ đàm", "Two-way radio", "chiếc", "units", true),
        T("satellite_phone", Pillar.Command, "Điện thoại vệ tinh", "Satellite phone", "chiếc", "units", true),

        T("militia", Pillar.Forces, "Dân quân tự vệ", "Militia (dân quân)", "người", "persons", true, true),
        T("police", Pillar.Forces, "Công an xã", "Commune police", "người", "persons", true, true),
        T("youth_volunteers", Pillar.Forces, "Thanh niên xung kích", "Youth volunteers", "người", "persons", true, true),
        T("medical_team", Pillar.Forces, "Nhân viên y tế", "Medical staff", "người", "persons", true, true),

        T("boat", Pillar.Means, "Thuyền, xuồng", "Boat", "chiếc", "boats", true),
        T("motor_boat", Pillar.Means, "Ca nô", "Motor boat", "chiếc", "boats", true),
        T("truck", Pillar.Means, "Xe tải", "Truck", "xe", "trucks", true),
        T("excavator", Pillar.Means, "Máy xúc", "Excavator", "máy", "machines", true),
        T("generator", Pillar.Means, "Máy phát điện", "Generator", "máy", "units", true),
        T("water_pump", Pillar.Means, "Máy bơm nước", "Water pump", "máy", "units", true),
        T("chainsaw", Pillar.Means, "Cưa máy", "Chainsaw", "chiếc", "units", true),
        T("life_jacket", Pillar.Means, "Áo phao", "Life jacket", "chiếc", "units", true),
        T("sandbag", Pillar.Means, "Bao cát", "Sandbag", "bao", "bags", false),

        T("food_ration", Pillar.Logistics, "Suất ăn", "Food ration", "suất", "rations", false),
        T("instant_noodles", Pillar.Logistics, "Mì tôm", "Instant noodles", "thùng", "cases", false),
        T("drinking_water", Pillar.Logistics, "Nước uống", "Drinking water", "bình 20 l", "20 l jugs", false),
        T("medicine_kit", Pillar.Logistics, "Cơ số thuốc", "Medicine kit", "cơ số", "kits", false),
        T("tarpaulin", Pillar.Logistics, "Bạt che", "Tarpaulin", "tấm", "sheets", false),
    ];
}
