// Shared by the map (app.js) and the admin page (admin.js): the string dictionary, DOM helpers, calls to the
// API (with the antiforgery header on writes) and the signed-in session with its header widget.
// All API text goes to the page through textContent only.

export const STRINGS = {
  vi: {
    title: 'Điều phối – Bản đồ xã, phường',
    appName: 'Điều phối',
    mapLabel: 'Bản đồ xã, phường',
    searchLabel: 'Tìm xã, phường',
    searchPlaceholder: 'Tìm xã, phường (gõ không dấu cũng được)',
    searching: 'Đang tìm…',
    noResults: 'Không tìm thấy xã, phường nào',
    formerName: 'tên cũ: {0}',
    switchLang: 'English',
    switchLangLabel: 'Switch to English',
    hint: 'Bấm vào một xã, phường trên bản đồ hoặc tìm theo tên.',
    loading: 'Đang tải…',
    loadError: 'Không tải được dữ liệu ({0}). Hãy thử lại.',
    close: 'Đóng',
    legend: 'Chú giải',
    legendSelected: 'Đang chọn',
    legendCorner: 'Chạm góc (không giáp ranh)',
    legendOwn: 'Địa bàn của tôi',
    ring1: 'Giáp ranh (vòng 1)',
    ring2: 'Vòng 2',
    corners: 'Chỉ chạm góc – không phải giáp ranh',
    notNeighbour: 'không giáp ranh',
    none: 'Không có',
    via: 'qua {0}',
    sharedBorder: 'Chiều dài ranh giới chung',
    distance: 'Khoảng cách giữa hai trung tâm',
    population: 'Dân số',
    approx: '(ước tính)',
    area: 'Diện tích',
    mergedFrom: 'Hợp nhất từ',
    adminCenter: 'Trụ sở',
    defenseArea: 'Khu vực phòng thủ',
    sample: '(dữ liệu mẫu)',
    code: 'Mã',
    kinds: { 'xã': 'Xã', 'phường': 'Phường', 'đặc khu': 'Đặc khu' },
    // sign-in
    signIn: 'Đăng nhập',
    signOut: 'Đăng xuất',
    signInTitle: 'Đăng nhập',
    userName: 'Tên đăng nhập',
    password: 'Mật khẩu',
    cancel: 'Hủy',
    signingIn: 'Đang đăng nhập…',
    badCredentials: 'Sai tên đăng nhập hoặc mật khẩu.',
    lockedOut: 'Tài khoản đang tạm khóa vì nhập sai mật khẩu nhiều lần.',
    lockedOutUntil: 'Tài khoản đang tạm khóa vì nhập sai mật khẩu nhiều lần, đến {0}.',
    tooManyAttempts: 'Quá nhiều lần thử. Hãy thử lại sau {0} giây.',
    tooManyAttemptsLater: 'Quá nhiều lần thử. Hãy thử lại sau ít phút.',
    requestFailed: 'Không thực hiện được yêu cầu ({0}).',
    sessionEnded: 'Phiên đăng nhập đã hết. Hãy đăng nhập lại.',
    signedInAs: 'Đã đăng nhập: {0}, {1}',
    roles: {
      admin: 'Quản trị',
      province_operator: 'Cán bộ tỉnh',
      defense_commander: 'Chỉ huy khu vực phòng thủ',
      commune_leader: 'Chủ tịch UBND xã',
    },
    scopeKinds: { commune: 'Xã', defense_area: 'Khu vực phòng thủ', province: 'Tỉnh' },
    // duty contact (commune panel)
    contact: 'Trực ban',
    dutyPhone: 'Điện thoại trực ban',
    dutyOfficer: 'Người trực',
    note: 'Ghi chú',
    updated: 'Cập nhật {0} bởi {1}',
    updatedAt: 'Cập nhật {0}',
    noContact: 'Chưa có thông tin trực ban.',
    edit: 'Sửa',
    save: 'Lưu',
    saving: 'Đang lưu…',
    saved: 'Đã lưu.',
    forbidden: 'Bạn không có quyền sửa thông tin của xã này.',
    // map layers: offices, hazard zones, active floods
    layers: 'Lớp bản đồ',
    layerOffices: 'Văn phòng',
    layerZones: 'Vùng ngập',
    layerFloods: 'Lũ đang diễn ra',
    legendFloodedNow: 'Đang ngập',
    legendFloodProne: 'Có nguy cơ ngập',
    legendNoFlood: 'Không thấy nguy cơ ngập',
    legendApproximate: 'Viền mỏng: vị trí gần đúng',
    zoomForOffices: 'Phóng to để tải văn phòng của vùng đang xem.',
    sampleLayer: '{0} — dữ liệu MẪU, không phải số liệu khảo sát',
    noActiveFloods: 'Không có đợt lũ nào đang diễn ra.',
    activeFloods: 'Đang diễn ra: {0}',
    hazardLegend: { flood: 'Vùng ngập', flash_flood: 'Vùng lũ quét', landslide: 'Vùng sạt lở' },
    hazards: { flood: 'vùng ngập', flash_flood: 'vùng lũ quét', landslide: 'vùng sạt lở' },
    // office panel
    officesOfCommune: 'Văn phòng',
    noOffices: 'Chưa có văn phòng nào.',
    officeKinds: {
      people_committee: 'Trụ sở UBND',
      service_centre: 'Trung tâm phục vụ hành chính công',
      school: 'Trường học',
      clinic: 'Trạm y tế',
      cultural_house: 'Nhà văn hóa',
      other: 'Văn phòng khác',
    },
    communeOf: '{0} {1}',
    address: 'Địa chỉ',
    phone: 'Điện thoại',
    location: 'Vị trí',
    accuracy: { surveyed: 'đã khảo sát', approximate: 'vị trí gần đúng', representative_point: 'điểm đại diện của xã' },
    warning: 'Lưu ý',
    shelter: 'Nơi sơ tán',
    shelterYes: 'có',
    shelterCapacity: 'sức chứa {0} người',
    shelterOccupancy: 'đang có {0} người',
    overCapacity: 'vượt sức chứa',
    floodProne: 'Có nguy cơ ngập',
    floodProneShort: 'nguy cơ ngập',
    landslideProne: 'có nguy cơ sạt lở',
    noExposure: 'Không thấy nguy cơ ngập',
    floodedNowAt: 'Đang ngập — làm việc tại: {0}',
    floodedNowNoFallback: 'Đang ngập — không có văn phòng dự phòng còn khô',
    reasonInside: 'Trong {0} «{1}»',
    reasonNear: 'Cách {0} «{1}» {2}',
    reasonLayer: 'lớp «{0}»',
    reasonEvent: 'Nằm trong đợt lũ «{0}»',
    eventActive: 'đang diễn ra',
    eventEnded: 'đã kết thúc {0}',
    eventPast: 'đã kết thúc',
    eventStarted: 'từ {0}',
    depth: 'độ sâu {0}',
    returnPeriod: 'chu kỳ lặp lại {0} năm',
    fallbackTitle: 'Văn phòng dự phòng',
    noFallback: 'Chưa có văn phòng dự phòng.',
    fallbackFlooded: 'cũng đang ngập',
    pickFallback: 'Chọn văn phòng dự phòng trên bản đồ',
    pickingFallback: 'Bấm vào một văn phòng của xã này hoặc của xã giáp ranh (viền đậm) trên bản đồ, hoặc chọn trong danh sách dưới đây.',
    pickNotOffice: 'Hãy bấm vào một văn phòng (chấm tròn) trên bản đồ.',
    pickSelf: 'Một văn phòng không thể dự phòng cho chính nó.',
    noCandidates: 'Không có văn phòng nào khác ở xã này và các xã giáp ranh.',
    clearFallback: 'Bỏ dự phòng',
    fallbackSet: 'Đã chọn văn phòng dự phòng: {0}.',
    fallbackCleared: 'Đã bỏ văn phòng dự phòng.',
    // admin page
    adminLink: 'Quản lý người dùng',
    adminTitle: 'Điều phối – Quản lý người dùng',
    backToMap: 'Về bản đồ',
    adminOnly: 'Trang này dành cho quản trị viên. Hãy đăng nhập bằng tài khoản quản trị.',
    users: 'Người dùng',
    displayName: 'Họ tên',
    role: 'Vai trò',
    scope: 'Phạm vi',
    scopeCode: 'Mã phạm vi',
    scopeCodeFor: { commune: 'Mã xã (5 chữ số)', defense_area: 'Mã khu vực phòng thủ', province: 'Mã tỉnh (2 chữ số)' },
    noScope: 'Không (toàn hệ thống)',
    alertSender: 'Được gửi cảnh báo SMS',
    lockedUntilCol: 'Khóa đến',
    createUser: 'Tạo người dùng',
    editUser: 'Sửa người dùng {0}',
    create: 'Tạo',
    passwordOptional: 'Mật khẩu (để trống để hệ thống tự tạo)',
    generatedPassword: 'Mật khẩu của {0} (chỉ hiển thị một lần, hãy ghi lại):',
    created: 'Đã tạo người dùng {0}.',
    updatedUser: 'Đã lưu người dùng {0}.',
    yes: 'Có',
    no: 'Không',
    noUsers: 'Chưa có người dùng.',
    fixErrors: 'Hãy sửa các ô được đánh dấu.',
    invalid: {
      dutyPhone: 'Số điện thoại chỉ gồm chữ số, dấu cách và + . - (tối đa 20 ký tự).',
      dutyOfficer: 'Tên người trực tối đa 100 ký tự.',
      note: 'Ghi chú tối đa 500 ký tự.',
      scopeCode: 'Không có phạm vi với mã này.',
      fallbackOfficeId: 'Văn phòng dự phòng phải thuộc cùng xã hoặc một xã giáp ranh (vòng 1).',
    },
    // mutual aid (aid.js, loaded after sign-in)
    aidToggle: 'Hỗ trợ',
    aidTitle: 'Hỗ trợ lẫn nhau',
    aidTabs: { requests: 'Yêu cầu', incoming: 'Được đề nghị', inventory: 'Kho', agreements: 'Quy chế', area: 'Yêu cầu' },
    aidAreaTitle: { defense_commander: 'Yêu cầu trong khu vực phòng thủ', province_operator: 'Yêu cầu trong tỉnh', admin: 'Tất cả yêu cầu đang mở' },
    aidLive: { connecting: 'Đang kết nối cập nhật trực tiếp…', open: 'Cập nhật trực tiếp', closed: 'Mất kết nối — đang thử lại' },
    aidFeed: 'Thông báo',
    aidNoFeed: 'Chưa có thông báo.',
    aidNew: 'Gửi yêu cầu hỗ trợ',
    aidNoRequests: 'Chưa có yêu cầu nào.',
    aidOpenRequests: 'Đang mở',
    aidClosedRequests: 'Đã đóng, đã hủy',
    aidRequestTitle: 'Yêu cầu #{0}',
    aidBack: '‹ Danh sách',
    aidNeededByText: 'cần trước {0}',
    aidFiledAgo: 'gửi {0}',
    aidDuplicateOf: 'Có thể trùng với yêu cầu #{0}',
    aidSummary: {
      draft: 'Bản nháp', open: 'Đang mở – chưa đề nghị xã nào', asked: 'Đã đề nghị, đang chờ trả lời',
      partially_pledged: 'Đã cam kết một phần', pledged: 'Đã cam kết đủ', partially_in_transit: 'Một phần đang trên đường',
      in_transit: 'Đang trên đường', partially_arrived: 'Đã đến một phần', arrived: 'Đã đến đủ', closed: 'Đã đóng', cancelled: 'Đã hủy',
    },
    aidUrgency: { life_threatening: 'Nguy hiểm tính mạng', urgent: 'Khẩn cấp', needed: 'Cần thiết' },
    aidHazard: { flood: 'Lũ, ngập lụt', flash_flood: 'Lũ quét', landslide: 'Sạt lở đất', storm: 'Bão, lốc', other: 'Khác' },
    aidTiers: { 1: 'Kho của xã', 2: 'Vòng 1 (giáp ranh)', 3: 'Vòng 2', 4: 'Cùng khu vực phòng thủ', 5: 'Trong tỉnh' },
    aidPillars: { command: 'Chỉ huy tại chỗ', forces: 'Lực lượng tại chỗ', means: 'Phương tiện, vật tư tại chỗ', logistics: 'Hậu cần tại chỗ' },
    aidStages: { pledged: 'Cam kết', inTransit: 'Đang trên đường', arrived: 'Đã đến' },
    aidLevel: { none: 'chưa', partial: 'một phần', complete: 'đủ' },
    aidAwaiting: 'chờ trả lời {0}',
    aidLinesTitle: 'Cần hỗ trợ',
    aidPledgesTitle: 'Các xã hỗ trợ',
    aidNoPledges: 'Chưa đề nghị xã nào.',
    aidPledgeStatus: {
      requested: 'Đang chờ trả lời', accepted: 'Đã nhận lời', declined: 'Đã từ chối', cancelled: 'Đã rút',
      dispatched: 'Đang trên đường', arrived: 'Đã đến', returned: 'Đã trả lại', consumed: 'Đã sử dụng',
    },
    aidOnBehalf: 'khu vực, tỉnh đề nghị thay',
    aidPledgeActions: { accept: 'Nhận lời', decline: 'Từ chối', dispatch: 'Xuất phát', return: 'Đã nhận lại', cancel: 'Rút đề nghị', arrive: 'Đã đến nơi', consume: 'Đã sử dụng' },
    aidDone: { accept: 'Đã nhận lời {0}.', decline: 'Đã từ chối.', dispatch: 'Đã ghi nhận xuất phát.', return: 'Đã ghi nhận đã nhận lại.', cancel: 'Đã rút đề nghị.', arrive: 'Đã ghi nhận đến nơi.', consume: 'Đã ghi nhận đã sử dụng.' },
    aidSuggestions: 'Gợi ý nơi hỗ trợ (theo thứ tự 4 tại chỗ)',
    aidRefreshMatches: 'Làm mới gợi ý',
    aidOutstanding: 'còn thiếu {0}',
    aidCovered: 'Đã đề nghị hoặc cam kết đủ số lượng.',
    aidNoSuggestions: 'Không có xã nào khác còn sẵn loại này.',
    aidAsk: 'Đề nghị hỗ trợ {0}',
    aidAskAnyway: 'Vẫn đề nghị {0}',
    aidAskedDone: 'Đã đề nghị xã {0} hỗ trợ {1}.',
    aidExcluded: 'Xã đang bị ảnh hưởng (không gợi ý): {0}',
    aidIncludeAffected: 'Gồm cả xã đang bị ảnh hưởng',
    aidEscalate: 'Đề nghị tỉnh hỗ trợ',
    aidEscalated: 'Đã chuyển lên tỉnh {0} ({1}).',
    aidCloseRequest: 'Đóng yêu cầu',
    aidCancelRequest: 'Hủy yêu cầu',
    aidOpenRequest: 'Mở yêu cầu',
    aidIncomingNone: 'Không có đề nghị nào gửi tới xã.',
    aidIncomingGroups: { requested: 'Đang chờ xã trả lời', accepted: 'Đã nhận lời — chờ xuất phát', dispatched: 'Đang trên đường', arrived: 'Đã đến nơi — chờ trả lại' },
    aidIncomingAsk: '{0} đề nghị {1} ({2})',
    aidIncomingFor: 'cho {0} · {1} · yêu cầu #{2}',
    aidAcceptQty: 'Số lượng nhận lời',
    aidInventoryTitle: 'Kho của xã (4 tại chỗ)',
    aidOnHand: 'Hiện có',
    aidReserved: 'Đã giữ',
    aidAvailable: 'Sẵn sàng',
    aidInventorySaved: 'Đã lưu: {0} {1}.',
    aidBelowReserved: 'Không thể ít hơn số đã giữ cho các cam kết đã nhận lời ({0}).',
    aidAgreementsTitle: 'Quy chế phối hợp với xã bạn',
    aidNoAgreements: 'Chưa có quy chế phối hợp nào.',
    aidAgreementTitle: 'Quy chế #{0}: {1} – {2}',
    aidActive: 'Đang hiệu lực',
    aidNotActive: 'Chưa hiệu lực',
    aidSignedBy: '{0}: đã ký ({1})',
    aidNotSigned: '{0}: chưa ký',
    aidSign: 'Ký cho {0}',
    aidValidity: 'Từ {0}',
    aidValidityTo: 'Từ {0} đến {1}',
    aidLends: '{0} cho mượn tới {1} {2}',
    aidPropose: 'Đề xuất quy chế với xã giáp ranh',
    aidPartner: 'Xã giáp ranh',
    aidLender: 'Bên cho mượn',
    aidMaxQty: 'Tối đa',
    aidContactOwn: 'Liên hệ của xã tôi',
    aidContactPartner: 'Liên hệ của xã bạn',
    aidValidFrom: 'Từ ngày',
    aidValidTo: 'Đến ngày (không bắt buộc)',
    aidProposeSubmit: 'Gửi đề xuất',
    aidProposed: 'Đã gửi đề xuất quy chế #{0}: có hiệu lực khi cả hai xã đã ký.',
    aidSigned: 'Đã ký quy chế #{0}.',
    aidFileTitle: 'Gửi yêu cầu hỗ trợ',
    aidPoint: 'Vị trí cần hỗ trợ',
    aidPick: 'Chọn trên bản đồ',
    aidPicking: 'Bấm vào bản đồ, trong địa bàn {0}.',
    aidPointSet: 'Đã chọn vị trí: {0}, {1}',
    aidNoPoint: 'Chưa chọn vị trí.',
    aidPickOutside: 'Điểm này không thuộc {0}. Hãy bấm trong địa bàn của xã.',
    aidHamlet: 'Thôn, bản, tổ dân phố',
    aidHazardLabel: 'Loại thiên tai',
    aidUrgencyLabel: 'Mức độ khẩn cấp',
    aidNeededBy: 'Cần trước (không bắt buộc)',
    aidDescription: 'Mô tả tình hình',
    aidType: 'Loại',
    aidQty: 'Số lượng',
    aidChooseType: '— chọn loại —',
    aidAddLine: '+ Thêm loại',
    aidRemoveLine: 'Bỏ dòng này',
    aidSubmit: 'Gửi yêu cầu',
    aidSending: 'Đang gửi…',
    aidDuplicate: 'Xã đã có yêu cầu #{0} đang mở cho cùng loại thiên tai trong mấy giờ qua. Có thể bổ sung vào yêu cầu đó thay vì gửi yêu cầu mới.',
    aidDuplicateConfirm: 'Vẫn gửi yêu cầu mới',
    aidFiled: 'Đã gửi yêu cầu #{0}.',
    aidLineN: 'Dòng {0}: {1}',
    aidColUrgency: 'Mức độ',
    aidColCommune: 'Xã',
    aidColHamlet: 'Thôn, bản',
    aidColUnmet: 'Còn thiếu',
    aidColAge: 'Đã chờ',
    aidColStatus: 'Tình trạng',
    aidNothingUnmet: 'đủ cam kết',
    aidConflict: {
      available: 'Kho chỉ còn {0} sẵn sàng: hãy nhận lời ít hơn hoặc cập nhật kho.',
      affected: 'Xã này đang bị ảnh hưởng; chỉ khu vực phòng thủ hoặc tỉnh mới đề nghị được.',
      alreadyAsked: 'Xã này đã được đề nghị cho dòng này và chưa trả lời.',
      changed: 'Dữ liệu vừa thay đổi; đã tải lại.',
      notOpen: 'Yêu cầu không còn mở.',
      escalated: 'Yêu cầu đã được chuyển lên tỉnh rồi.',
    },
    aidInvalid: {
      location: 'Vị trí phải nằm trong địa bàn xã: hãy chọn trên bản đồ.',
      hamlet: 'Hãy ghi tên thôn, bản hoặc tổ dân phố (tối đa 100 ký tự).',
      hazard: 'Hãy chọn loại thiên tai.',
      urgency: 'Hãy chọn mức độ khẩn cấp.',
      neededBy: 'Thời hạn này đã qua.',
      description: 'Mô tả tối đa 2000 ký tự.',
      lines: 'Cần ít nhất một loại, mỗi loại một dòng.',
      resourceType: 'hãy chọn loại.',
      quantity: 'số lượng là số nguyên từ 1 trở lên (không quá số cần).',
      maxQuantity: 'số lượng tối đa là số nguyên từ 1 trở lên.',
      lenderCode: 'bên cho mượn phải là một trong hai xã.',
      validTo: 'Ngày kết thúc trước ngày bắt đầu.',
      onHand: 'Số hiện có là số nguyên từ 0 trở lên.',
    },
    // SMS alerts and subscribers (alerts.js, loaded after sign-in)
    sms: {
      toggle: 'Cảnh báo SMS',
      toggleSubscribers: 'Người nhận SMS',
      title: 'Cảnh báo SMS',
      tabs: { compose: 'Soạn cảnh báo', list: 'Đã gửi', subscribers: 'Người nhận' },
      notSender: 'Gửi cảnh báo cần quyền gửi cảnh báo SMS (do quản trị viên cấp).',
      forbidden: 'Bạn không có quyền thực hiện việc này.',
      outOfScope: 'Bạn không được gửi cảnh báo tới các xã ngoài địa bàn: {0}.',
      notYourCommunes: 'Không thuộc địa bàn của bạn: {0}.',
      secondPerson: 'Cảnh báo mức Cực kỳ nghiêm trọng phải do một người gửi cảnh báo khác phê duyệt, không phải người soạn.',
      expiredUnapproved: 'Cảnh báo đã hết hạn trước khi được phê duyệt: hãy soạn lại.',
      notAwaiting: 'Cảnh báo này không còn chờ phê duyệt.',
      gatewayTwilio: 'Cổng SMS: Twilio, tên người gửi {0}, {1}.',
      gatewayOff: 'Chưa cấu hình cổng SMS: cảnh báo được lưu vào hàng đợi nhưng chưa gửi đi.',
      perSecond: 'tối đa {0} tin/giây',
      unlimited: 'không giới hạn tốc độ',
      composingUpdate: 'Cập nhật cảnh báo #{0}: cảnh báo cũ sẽ kết thúc, tin chưa gửi của nó được rút lại.',
      composingCancel: 'Hủy cảnh báo #{0}: người nhận được báo hủy, tin chưa gửi được rút lại.',
      startOver: 'Soạn lại từ đầu',
      targets: 'Gửi tới',
      modes: { communes: 'Chọn xã', polygon: 'Vẽ vùng', circle: 'Vòng tròn' },
      pickOnMap: 'Chọn xã trên bản đồ',
      pickStop: 'Thôi chọn trên bản đồ',
      pickHint: 'Bấm vào một xã trên bản đồ để chọn, bấm lần nữa để bỏ chọn.',
      filterCommunes: 'Lọc xã theo tên (không dấu cũng được)',
      searchCommunes: 'Tìm xã theo tên',
      moreCommunes: '… và {0} xã nữa: gõ để lọc',
      chosenNone: 'Chưa chọn xã nào.',
      chosenN: 'Đã chọn {0} xã:',
      removeCommune: 'Bỏ {0}',
      polygonNone: 'Chưa vẽ vùng.',
      polygonPoints: 'Đang vẽ: {0} điểm.',
      polygonDone: 'Đã vẽ vùng ({0} điểm).',
      drawHint: 'Bấm lần lượt các điểm trên bản đồ; bấm đúp hoặc «Xong» để khép vùng.',
      drawStart: 'Bắt đầu vẽ',
      drawAgain: 'Vẽ lại',
      drawFinish: 'Xong',
      drawClear: 'Xóa vùng',
      circleNone: 'Chưa chọn tâm.',
      circleCentre: 'Tâm: {0}, {1}',
      circleHint: 'Bấm vào bản đồ để đặt tâm vòng tròn.',
      circlePick: 'Chọn tâm trên bản đồ',
      circleMove: 'Đổi tâm',
      radius: 'Bán kính (km)',
      message: 'Nội dung tin nhắn',
      template: 'Mẫu tin nhắn đã đăng ký',
      chooseTemplate: '— chọn mẫu —',
      cancelTemplate: 'Mẫu tin hủy cảnh báo đã đăng ký',
      chooseCancelTemplate: '— chọn mẫu tin hủy —',
      noCancelTemplate: 'Chưa có mẫu tin hủy cảnh báo: quản trị viên cần đăng ký một mẫu loại «hủy / hết nguy hiểm».',
      templateKinds: { warning: 'mẫu cảnh báo', cancel: 'mẫu hủy cảnh báo / hết nguy hiểm' },
      instructionCancel: 'Tin hủy không lặp lại hướng dẫn của cảnh báo cũ: để trống, hoặc ghi điều người dân nên làm bây giờ.',
      cancelHeadline: 'Hủy cảnh báo: ',
      freeText: 'Văn bản tự do',
      freeTextNote: 'Văn bản tự do chỉ dùng khi nhà mạng cho phép (tin chưa đăng ký mẫu có thể bị chặn).',
      registration: 'Mã đăng ký mẫu:',
      autoFilled: 'Tự điền từ vùng gửi và các ô bên dưới: {0}',
      valueOf: 'Giá trị cho {{0}}',
      placeholders: { place: 'Địa điểm {place}', level: 'Cấp độ {level}', river: 'Sông {river}', shelter: 'Nơi sơ tán {shelter}', phone: 'Số điện thoại {phone}' },
      event: 'Sự kiện',
      eventExample: 'ví dụ: Lũ quét',
      headline: 'Tiêu đề',
      instruction: 'Hướng dẫn người dân',
      description: 'Mô tả (không bắt buộc)',
      fold: 'Gửi không dấu cho mọi người (GSM-7: rẻ hơn, đọc được trên mọi máy)',
      cap: 'Thông tin cảnh báo (CAP)',
      severity: 'Mức độ nghiêm trọng',
      urgency: 'Mức khẩn cấp',
      certainty: 'Độ chắc chắn',
      category: 'Loại',
      status: 'Tính chất',
      testOnly: 'Thử nghiệm và diễn tập chỉ gửi tới nhóm thử nghiệm, không gửi tới người dân.',
      expires: 'Hết hiệu lực lúc',
      expiresHint: 'Để trống: sau 6 giờ.',
      riskLevel: 'Cấp độ rủi ro thiên tai',
      riskN: 'Cấp {0}',
      riskNote: 'Theo Nghị định 66/2021: cấp 4–5 nhắc lại ít nhất mỗi giờ, cấp 1–3 ít nhất mỗi 3 giờ (tự đặt nếu để trống).',
      repeat: 'Nhắc lại mỗi (phút)',
      repeatAuto: 'không nhắc lại',
      preview: 'Xem trước',
      send: 'Gửi…',
      sending: 'Đang gửi…',
      previewTitle: 'Xem trước (chưa gửi)',
      pvText: 'Tin nhắn người dân sẽ nhận:',
      pvRecipients: 'Người nhận',
      recipientsN: '{0} số điện thoại',
      recipientsFolded: '{0} số điện thoại ({1} số nhận không dấu)',
      pvCommunes: 'Các xã',
      pvCharacters: 'Số ký tự',
      pvEncoding: 'Mã hóa',
      encodings: { 'UCS-2': 'tiếng Việt có dấu, 70 ký tự một tin', 'GSM-7': 'không dấu, 160 ký tự một tin' },
      pvSegments: 'Số tin mỗi người',
      segmentsEach: '{0} tin ({1} ký tự/tin)',
      pvFolded: 'Người nhận không dấu',
      foldedEach: '{0} ký tự, {1}, {2} tin mỗi người',
      pvTotal: 'Tổng số tin',
      totalN: '{0} tin nhắn',
      totalRounds: '{0} tin nhắn ({1} lượt × {2}), nếu gửi đến khi hết hiệu lực',
      pvPerRound: 'Mỗi lượt',
      pvTime: 'Thời gian gửi ước tính',
      pvTimeRound: 'Thời gian gửi mỗi lượt',
      timeAt: '{0} (tốc độ {1} tin/giây)',
      timeUnlimited: 'không giới hạn tốc độ',
      aboutSeconds: 'khoảng {0} giây',
      aboutMinutes: 'khoảng {0} phút {1} giây',
      aboutHours: 'khoảng {0} giờ {1} phút',
      pvRounds: 'Số lượt gửi',
      roundsOne: '1 lượt',
      roundsEvery: '{0} lượt, mỗi {1} phút',
      stale: 'Bạn đã sửa nội dung: hãy bấm «Xem trước» lại.',
      notSentGateway: 'Chưa gửi: chưa cấu hình cổng SMS. Tin nhắn chỉ được lưu lại.',
      needsApprover: 'Mức Cực kỳ nghiêm trọng: cần một người gửi cảnh báo khác phê duyệt thì mới gửi (nguyên tắc hai người).',
      pvEndsCancel: 'Tin này HỦY cảnh báo #{0} «{1}»: cảnh báo #{0} kết thúc và không nhắc lại nữa.',
      pvEndsUpdate: 'Tin này THAY THẾ cảnh báo #{0} «{1}»: cảnh báo #{0} kết thúc và không nhắc lại nữa.',
      pvEndsWithdrawn: '{0} tin chưa gửi của cảnh báo #{1} sẽ được rút lại.',
      longMessage: 'Tin dài: mỗi người nhận {0} tin nhắn ghép (nên không quá {1}). Tin ghép dài dễ đến thiếu hoặc sai thứ tự trên máy cũ và tốn gấp {0} lần: hãy rút gọn hoặc gửi không dấu. Tối đa {2} tin.',
      testGroupOnly: '{0}: chỉ gửi tới nhóm thử nghiệm.',
      noRecipients: 'Không có người nhận nào ở các xã này.',
      confirmText: 'Gửi cảnh báo tới {0} số điện thoại, tổng cộng {1} tin nhắn? Không thể thu hồi tin đã gửi.',
      confirmRounds: 'Gửi cảnh báo tới {0} số điện thoại: {1} tin nhắn mỗi lượt, {2} lượt, tổng cộng tối đa {3} tin nhắn? Không thể thu hồi tin đã gửi.',
      confirmCancel: 'Gửi tin HỦY cảnh báo #{4} tới {0} số điện thoại, tổng cộng {1} tin nhắn? Không thể thu hồi tin đã gửi.',
      confirmApprover: 'Lưu cảnh báo ({0} số điện thoại, {1} tin nhắn mỗi lượt) để chờ người thứ hai phê duyệt?',
      confirmGateway: 'Lưu ý: chưa cấu hình cổng SMS, tin nhắn sẽ chờ trong hàng đợi.',
      confirmSend: 'Xác nhận gửi',
      sentDone: 'Đã gửi cảnh báo #{0}.',
      recordedNotSent: 'Đã ghi nhận cảnh báo #{0}, chưa gửi: chưa cấu hình cổng SMS.',
      cancelSent: 'Đã gửi tin hủy cảnh báo #{1} (tin #{0}).',
      cancelRecorded: 'Đã ghi nhận tin hủy cảnh báo #{1} (tin #{0}), chưa gửi: chưa cấu hình cổng SMS.',
      sentAwaiting: 'Đã lưu cảnh báo #{0}: đang chờ người thứ hai phê duyệt.',
      stateFilter: 'Lọc theo trạng thái',
      allStates: 'Mọi trạng thái',
      states: { awaiting_approval: 'Chờ phê duyệt', active: 'Đang hiệu lực', ended: 'Đã kết thúc', rejected: 'Bị từ chối' },
      statuses: { Actual: 'Thật', Exercise: 'Diễn tập', Test: 'Thử nghiệm' },
      msgTypes: { Alert: 'Cảnh báo', Update: 'Cập nhật', Cancel: 'Hủy' },
      severities: { Extreme: 'Cực kỳ nghiêm trọng', Severe: 'Nghiêm trọng', Moderate: 'Trung bình', Minor: 'Nhẹ', Unknown: 'Chưa rõ' },
      urgencies: { Immediate: 'Ngay lập tức', Expected: 'Sắp xảy ra', Future: 'Sắp tới', Past: 'Đã qua', Unknown: 'Chưa rõ' },
      certainties: { Observed: 'Đã xảy ra', Likely: 'Nhiều khả năng', Possible: 'Có thể', Unlikely: 'Ít khả năng', Unknown: 'Chưa rõ' },
      categories: {
        Met: 'Khí tượng, thủy văn', Geo: 'Địa chất (động đất, sạt lở)', Safety: 'An toàn', Security: 'An ninh', Rescue: 'Cứu hộ, cứu nạn',
        Fire: 'Cháy', Health: 'Y tế', Env: 'Môi trường', Transport: 'Giao thông', Infra: 'Hạ tầng', CBRNE: 'Hóa chất, phóng xạ, chất nổ', Other: 'Khác',
      },
      endedReasons: { cancelled: 'đã hủy', superseded: 'đã được cập nhật', expired: 'hết hiệu lực', completed: 'đã gửi xong' },
      rejectedBecause: 'bị từ chối: {0}',
      refresh: 'Làm mới',
      noAlerts: 'Chưa có cảnh báo nào.',
      andMore: ' và {0} xã khác',
      sentOfTotal: 'đã gửi {0}/{1}',
      back: '‹ Danh sách',
      alertN: 'cảnh báo #{0}',
      validity: 'Hiệu lực',
      fromTo: 'từ {0} đến {1}',
      communes: 'Các xã',
      circleText: 'bán kính {0} km quanh {1}, {2}',
      areaText: 'vùng vẽ tay, {0} điểm',
      createdBy: 'Người gửi',
      approvedBy: 'Người phê duyệt',
      repeatText: 'mỗi {0} phút, lượt tới: {1}',
      ended: 'Kết thúc',
      smsText: 'Tin nhắn:',
      progressTitle: 'Tiến độ gửi',
      roundsSoFar: '({0} lượt)',
      progressLabel: 'Đã gửi {0} trên {1} tin',
      total: 'Tổng: {0}',
      progress: { queued: 'Chờ gửi', sent: 'Đã gửi', delivered: 'Đã đến máy', failed: 'Lỗi', optedOut: 'Từ chối nhận', withdrawn: 'Đã rút lại' },
      notYet: 'Chưa gửi: đang chờ phê duyệt.',
      noMessages: 'Chưa có tin nhắn nào.',
      liveNote: 'Tự cập nhật mỗi 2 giây.',
      awaitingOwn: 'Đang chờ một người gửi cảnh báo khác phê duyệt (bạn là người soạn).',
      awaitingOther: 'Đang chờ người gửi cảnh báo phê duyệt.',
      approvalAsk: 'Cảnh báo Cực kỳ nghiêm trọng: người thứ hai kiểm tra rồi phê duyệt hoặc từ chối.',
      approve: 'Phê duyệt và gửi',
      reject: 'Từ chối',
      rejectReason: 'Lý do từ chối',
      approved: 'Đã phê duyệt cảnh báo #{0}: đang gửi.',
      approvedNotSent: 'Đã phê duyệt cảnh báo #{0}, chưa gửi: chưa cấu hình cổng SMS.',
      rejected: 'Đã từ chối cảnh báo #{0}.',
      update: 'Cập nhật cảnh báo',
      cancelAlert: 'Hủy cảnh báo',
      cancelsBadge: 'Đã hủy cảnh báo #{0}',
      updatesN: 'Cập nhật cảnh báo #{0}',
      cancels: 'Hủy cảnh báo',
      updates: 'Cập nhật cho',
      legendTargets: 'Vùng nhận cảnh báo SMS',
      log: 'Nhật ký SMS',
      logFilter: 'Lọc nhật ký theo trạng thái',
      allStatuses: 'Mọi trạng thái',
      smsStatuses: {
        queued: 'Chờ gửi', sending: 'Đang gửi', uncertain: 'Đang đối soát', accepted: 'Đã gửi đi', sent: 'Đã gửi',
        delivered: 'Đã đến máy', undelivered: 'Không đến được', failed: 'Lỗi', opted_out: 'Từ chối nhận', cancelled: 'Đã rút lại', expired: 'Hết hạn',
      },
      foldedShort: 'không dấu',
      colPhone: 'Số điện thoại', colStatus: 'Trạng thái', colRound: 'Lượt', colSegments: 'Số tin', colAttempts: 'Lần thử', colError: 'Lỗi', colUpdated: 'Cập nhật',
      more: 'Xem thêm',
      roundN: 'lượt {0}',
      commune: 'Xã',
      lookup: 'Tìm một số điện thoại',
      lookupPlaceholder: 'Tìm số: 0912 345 678',
      lookupButton: 'Tìm',
      lookupResult: 'Kết quả tìm số',
      lookupNone: 'Không có số này trong các xã của bạn.',
      addTitle: 'Thêm số nhận tin ở {0}',
      phone: 'Số điện thoại di động',
      testGroup: 'Nhóm thử nghiệm',
      prefersFolded: 'Nhận không dấu',
      note: 'Ghi chú',
      consentNote: 'Chỉ thêm số khi người dân đã đồng ý nhận tin (ghi nhận trực tiếp hoặc trên giấy).',
      add: 'Thêm',
      added: 'Đã thêm {0} vào {1}.',
      merged: 'Số {0} đã có: đã thêm vào {1}.',
      importTitle: 'Nhập danh sách từ tệp CSV',
      importHint: 'Các cột: phone, communes (mã xã, cách nhau bằng dấu cách), tùy chọn folded, test_group, note. Một dòng sai thì không nhập gì cả.',
      importButton: 'Nhập tệp',
      importing: 'Đang nhập…',
      importChoose: 'Hãy chọn một tệp CSV.',
      importRefused: 'Tệp chưa được nhập (không ghi gì cả). Hãy sửa các dòng sau:',
      andMoreRows: '… và {0} dòng khác.',
      importDone: 'Đã đọc {0} dòng: thêm mới {1} số, cập nhật {2} số.',
      importSkipped: 'Không thêm lại {0} số đã từ chối nhận tin qua SMS:',
      row: 'Dòng {0}: {1}',
      subscribersOf: 'Người nhận tin ở {0}',
      noSubscribers: 'Chưa có số nào nhận tin ở xã này.',
      optedOutBadge: 'Đã từ chối nhận',
      optedOutText: 'Người dùng đã nhắn HUY lúc {0}: không gửi nữa. Chỉ chính số này nhắn đăng ký lại mới nhận tin.',
      consent: 'Đồng ý: {0} ({1}, {2})',
      consentSources: { official: 'cán bộ ghi nhận', import: 'nhập từ tệp', sms: 'tự đăng ký qua SMS' },
      alsoIn: 'cũng nhận tin ở: {0}',
      inCommunes: 'nhận tin ở: {0}',
      removeFromCommune: 'Bỏ khỏi xã này',
      showLog: 'Nhật ký SMS',
      hideLog: 'Ẩn nhật ký',
      savedNumber: 'Đã lưu {0}.',
      removed: 'Đã bỏ {0} khỏi {1}.',
      api: {
        event: 'Hãy ghi sự kiện (tối đa 100 ký tự), ví dụ «Lũ quét».',
        headline: 'Hãy ghi tiêu đề (tối đa 200 ký tự).',
        chooseTargets: 'Hãy chọn các xã cần cảnh báo, hoặc vẽ một vùng.',
        oneTarget: 'Chỉ chọn một cách: các xã, hoặc một vùng, hoặc một vòng tròn.',
        unknownCommunes: 'Không có xã với mã: {0}.',
        tooManyCommunes: 'Tối đa {0} xã.',
        areaShape: 'Vùng vẽ không hợp lệ: hãy vẽ lại.',
        areaPoints: 'Vùng cần ít nhất 3 điểm khác nhau.',
        areaTooManyPoints: 'Vùng có quá nhiều điểm (tối đa 1.000).',
        areaCrosses: 'Vùng tự cắt nhau: hãy vẽ lại, không để các cạnh cắt nhau.',
        areaTooLarge: 'Vùng rộng {0} km²: chỉ vẽ tối đa 50.000 km² (hoặc chọn xã).',
        areaNoCommune: 'Vùng không chạm xã nào.',
        areaTooMany: 'Vùng chạm {0} xã: tối đa 500.',
        circleCentre: 'Hãy chọn tâm vòng tròn trên bản đồ.',
        circleRadius: 'Bán kính từ 0,1 đến 100 km.',
        needValues: 'Mẫu tin cần giá trị cho: {0}.',
        fillOwn: 'Mẫu tin dùng {{0}}: hãy điền ô này.',
        noTemplate: 'Mẫu tin này không còn dùng được: hãy chọn mẫu khác.',
        chooseTemplate: 'Hãy chọn một mẫu tin nhắn đã đăng ký.',
        noFreeText: 'Hệ thống không cho phép văn bản tự do: hãy chọn mẫu đã đăng ký.',
        templateOrText: 'Chọn mẫu hoặc văn bản tự do, không cả hai.',
        emptyMessage: 'Tin nhắn trống.',
        messageTooLong: 'Tin nhắn dài {0} ký tự; tối đa 1.600.',
        expiresOrder: 'Thời điểm hết hiệu lực phải sau thời điểm bắt đầu.',
        tooLong: 'Một cảnh báo kéo dài tối đa 7 ngày; hãy cập nhật để gia hạn.',
        effective: 'Thời điểm bắt đầu không hợp lệ (không ở quá khứ, trong vòng 7 ngày).',
        riskLevel: 'Cấp độ rủi ro từ 1 đến 5.',
        repeatRange: 'Nhắc lại mỗi 15 đến 1.440 phút.',
        repeatHourly: 'Trên cấp 3 phải nhắc lại ít nhất mỗi giờ (Nghị định 66/2021): tối đa 60 phút.',
        repeat3h: 'Phải nhắc lại ít nhất mỗi 3 giờ (Nghị định 66/2021): tối đa 180 phút.',
        cancelNoRepeat: 'Tin hủy không nhắc lại.',
        refOnlyUpdate: 'Chỉ tin cập nhật hoặc hủy mới tham chiếu cảnh báo trước.',
        refNeeded: 'Tin cập nhật hoặc hủy phải tham chiếu cảnh báo gốc.',
        refUnknown: 'Không có cảnh báo #{0}.',
        refIsCancel: 'Cảnh báo #{0} là tin hủy: hãy tham chiếu cảnh báo gốc.',
        refRejected: 'Cảnh báo #{0} đã bị từ chối, chưa từng gửi đi.',
        refEnded: 'Cảnh báo #{0} đã được hủy hoặc cập nhật rồi.',
        templateIsCancel: 'Mẫu này là mẫu hủy cảnh báo: chỉ dùng để hủy một cảnh báo.',
        cancelNeedsCancelTemplate: 'Tin hủy phải dùng mẫu hủy cảnh báo / hết nguy hiểm, không dùng mẫu cảnh báo.',
        cancelRepeatsInstruction: 'Tin hủy không được lặp lại hướng dẫn của cảnh báo #{0}: hãy ghi điều người dân nên làm bây giờ, hoặc để trống.',
        tooManySegments: 'Tin nhắn dài {1} ký tự ({2}): {0} tin mỗi người, tối đa {3} tin. Hãy rút gọn (tin không dấu ngắn hơn nhiều).',
        refStatus: 'Cảnh báo gốc là «{0}»: tin cập nhật hoặc hủy phải cùng tính chất.',
        tooLongField: '{0}: tối đa {1} ký tự.',
        phoneEmpty: 'Hãy nhập số điện thoại.',
        phoneTooLong: 'Số điện thoại quá dài.',
        phoneLandline: '«{0}» là số cố định: không nhận được SMS.',
        phoneForeign: '«{0}» không phải số di động Việt Nam (+84): người nhận tin của xã phải là số di động Việt Nam.',
        phoneNotMobile: '«{0}» không phải số di động.',
        phoneInvalid: '«{0}» không phải số điện thoại hợp lệ.',
        noCommune: 'không có mã xã',
        optedOutOn: '{0} đã nhắn từ chối nhận tin lúc {1}: không gửi nữa. Chỉ chính số này nhắn đăng ký lại (START hoặc DK <xã>) mới nhận tin.',
        optedOut: '{0} đã nhắn từ chối nhận tin: không thêm lại.',
        notYesNo: '{0} «{1}» không phải có/không',
        noteTooLong: 'ghi chú dài quá 200 ký tự',
        fileNoRows: 'tệp chỉ có dòng tiêu đề',
        fileHeader: 'Dòng tiêu đề phải có các cột phone và communes (tùy chọn: folded, test_group, note).',
        fileEmpty: 'Tệp trống.',
        fileTooLarge: 'Tệp lớn hơn 20 MB: hãy chia nhỏ.',
        fileTooManyRows: 'Tối đa {0} dòng mỗi tệp.',
        lostZero: '{0} số bị mất số 0 ở đầu (do Excel) và được đọc như số di động Việt Nam.',
        repeatedRows: '{0} dòng lặp lại một số: các xã đã được gộp.',
        notConfigured: 'Chưa gửi: chưa cấu hình cổng SMS.',
      },
    },
  },
  en: {
    title: 'Coordination – communes map',
    appName: 'Coordination',
    mapLabel: 'Map of communes and wards',
    searchLabel: 'Find a commune or ward',
    searchPlaceholder: 'Find a commune or ward (diacritics optional)',
    searching: 'Searching…',
    noResults: 'No commune or ward found',
    formerName: 'former name: {0}',
    switchLang: 'Tiếng Việt',
    switchLangLabel: 'Chuyển sang tiếng Việt',
    hint: 'Click a commune on the map or search by name.',
    loading: 'Loading…',
    loadError: 'Could not load the data ({0}). Please try again.',
    close: 'Close',
    legend: 'Legend',
    legendSelected: 'Selected',
    legendCorner: 'Corner contact (not a neighbour)',
    legendOwn: 'My area',
    ring1: 'Neighbours (ring 1)',
    ring2: 'Ring 2',
    corners: 'Corner contact only – not neighbours',
    notNeighbour: 'not a neighbour',
    none: 'None',
    via: 'via {0}',
    sharedBorder: 'Length of the shared border',
    distance: 'Distance between centres',
    population: 'Population',
    approx: '(approx.)',
    area: 'Area',
    mergedFrom: 'Merged from',
    adminCenter: 'Seat',
    defenseArea: 'Defense area',
    sample: '(sample data)',
    code: 'Code',
    kinds: { 'xã': 'Commune', 'phường': 'Ward', 'đặc khu': 'Special zone' },
    signIn: 'Sign in',
    signOut: 'Sign out',
    signInTitle: 'Sign in',
    userName: 'User name',
    password: 'Password',
    cancel: 'Cancel',
    signingIn: 'Signing in…',
    badCredentials: 'Wrong user name or password.',
    lockedOut: 'The account is locked for now after too many wrong passwords.',
    lockedOutUntil: 'The account is locked after too many wrong passwords, until {0}.',
    tooManyAttempts: 'Too many attempts. Try again in {0} seconds.',
    tooManyAttemptsLater: 'Too many attempts. Try again in a few minutes.',
    requestFailed: 'The request failed ({0}).',
    sessionEnded: 'Your session has ended. Please sign in again.',
    signedInAs: 'Signed in: {0}, {1}',
    roles: {
      admin: 'Administrator',
      province_operator: 'Province operator',
      defense_commander: 'Defense area commander',
      commune_leader: 'Commune leader',
    },
    scopeKinds: { commune: 'Commune', defense_area: 'Defense area', province: 'Province' },
    contact: 'Duty contact',
    dutyPhone: 'Duty phone',
    dutyOfficer: 'Officer on duty',
    note: 'Note',
    updated: 'Updated {0} by {1}',
    updatedAt: 'Updated {0}',
    noContact: 'No duty contact yet.',
    edit: 'Edit',
    save: 'Save',
    saving: 'Saving…',
    saved: 'Saved.',
    forbidden: 'You may not edit this commune’s details.',
    layers: 'Map layers',
    layerOffices: 'Offices',
    layerZones: 'Flood zones',
    layerFloods: 'Active floods',
    legendFloodedNow: 'Flooded now',
    legendFloodProne: 'Flood-prone',
    legendNoFlood: 'No flood exposure found',
    legendApproximate: 'Thin ring: approximate location',
    zoomForOffices: 'Zoom in to load the offices of the area in view.',
    sampleLayer: '{0} — SAMPLE data, not a survey',
    noActiveFloods: 'No flood is ongoing.',
    activeFloods: 'Ongoing: {0}',
    hazardLegend: { flood: 'Flood zone', flash_flood: 'Flash-flood zone', landslide: 'Landslide zone' },
    hazards: { flood: 'flood zone', flash_flood: 'flash-flood zone', landslide: 'landslide zone' },
    officesOfCommune: 'Offices',
    noOffices: 'No offices yet.',
    officeKinds: {
      people_committee: 'People’s Committee seat',
      service_centre: 'Public service centre',
      school: 'School',
      clinic: 'Health station',
      cultural_house: 'Cultural house',
      other: 'Other office',
    },
    communeOf: '{1} ({0})',
    address: 'Address',
    phone: 'Phone',
    location: 'Location',
    accuracy: { surveyed: 'surveyed', approximate: 'approximate location', representative_point: 'the commune’s representative point' },
    warning: 'Note',
    shelter: 'Shelter',
    shelterYes: 'yes',
    shelterCapacity: 'capacity {0} people',
    shelterOccupancy: '{0} people now',
    overCapacity: 'over capacity',
    floodProne: 'Flood-prone',
    floodProneShort: 'flood-prone',
    landslideProne: 'landslide-prone',
    noExposure: 'No flood exposure found',
    floodedNowAt: 'Flooded now — services at: {0}',
    floodedNowNoFallback: 'Flooded now — no dry fallback office',
    reasonInside: 'Inside the {0} «{1}»',
    reasonNear: '{2} from the {0} «{1}»',
    reasonLayer: 'layer «{0}»',
    reasonEvent: 'Inside the flood event «{0}»',
    eventActive: 'ongoing',
    eventEnded: 'ended {0}',
    eventPast: 'ended',
    eventStarted: 'since {0}',
    depth: 'depth {0}',
    returnPeriod: '{0}-year return period',
    fallbackTitle: 'Fallback office',
    noFallback: 'No fallback office yet.',
    fallbackFlooded: 'flooded too',
    pickFallback: 'Pick fallback on the map',
    pickingFallback: 'Click an office of this commune or of a neighbouring commune (bold ring) on the map, or choose one from the list below.',
    pickNotOffice: 'Click an office (a dot) on the map.',
    pickSelf: 'An office cannot be its own fallback.',
    noCandidates: 'No other office in this commune or its neighbours.',
    clearFallback: 'Clear fallback',
    fallbackSet: 'Fallback office set: {0}.',
    fallbackCleared: 'Fallback office cleared.',
    adminLink: 'Users',
    adminTitle: 'Coordination – users',
    backToMap: 'Back to the map',
    adminOnly: 'This page is for administrators. Sign in with an administrator account.',
    users: 'Users',
    displayName: 'Display name',
    role: 'Role',
    scope: 'Scope',
    scopeCode: 'Scope code',
    scopeCodeFor: { commune: 'Commune code (5 digits)', defense_area: 'Defense area id', province: 'Province code (2 digits)' },
    noScope: 'None (whole system)',
    alertSender: 'May send SMS alerts',
    lockedUntilCol: 'Locked until',
    createUser: 'Create a user',
    editUser: 'Edit user {0}',
    create: 'Create',
    passwordOptional: 'Password (leave empty to generate one)',
    generatedPassword: 'Password of {0} (shown only once, write it down):',
    created: 'User {0} created.',
    updatedUser: 'User {0} saved.',
    yes: 'Yes',
    no: 'No',
    noUsers: 'No users yet.',
    fixErrors: 'Please correct the marked fields.',
    invalid: {
      dutyPhone: 'A phone number holds digits, spaces and + . - only (at most 20 characters).',
      dutyOfficer: 'The officer’s name is at most 100 characters.',
      note: 'The note is at most 500 characters.',
      scopeCode: 'There is no scope with this code.',
      fallbackOfficeId: 'The fallback must be an office of the same commune or of a neighbouring commune (ring 1).',
    },
    aidToggle: 'Mutual aid',
    aidTitle: 'Mutual aid',
    aidTabs: { requests: 'Requests', incoming: 'Asked of us', inventory: 'Inventory', agreements: 'Agreements', area: 'Requests' },
    aidAreaTitle: { defense_commander: 'Requests in the defense area', province_operator: 'Requests in the province', admin: 'All open requests' },
    aidLive: { connecting: 'Connecting live updates…', open: 'Live updates', closed: 'Connection lost — retrying' },
    aidFeed: 'Notifications',
    aidNoFeed: 'No notifications yet.',
    aidNew: 'Request help',
    aidNoRequests: 'No requests yet.',
    aidOpenRequests: 'Open',
    aidClosedRequests: 'Closed or cancelled',
    aidRequestTitle: 'Request #{0}',
    aidBack: '‹ List',
    aidNeededByText: 'needed by {0}',
    aidFiledAgo: 'filed {0}',
    aidDuplicateOf: 'Possibly the same as request #{0}',
    aidSummary: {
      draft: 'Draft', open: 'Open – no donor asked yet', asked: 'Donors asked, awaiting answers',
      partially_pledged: 'Partially pledged', pledged: 'Fully pledged', partially_in_transit: 'Partly on the way',
      in_transit: 'On the way', partially_arrived: 'Partly arrived', arrived: 'Arrived', closed: 'Closed', cancelled: 'Cancelled',
    },
    aidUrgency: { life_threatening: 'Life-threatening', urgent: 'Urgent', needed: 'Needed' },
    aidHazard: { flood: 'Flood', flash_flood: 'Flash flood', landslide: 'Landslide', storm: 'Storm', other: 'Other' },
    aidTiers: { 1: 'Own stock', 2: 'Ring 1 (neighbour)', 3: 'Ring 2', 4: 'Same defense area', 5: 'Same province' },
    aidPillars: { command: 'On-the-spot command', forces: 'On-the-spot forces', means: 'On-the-spot means', logistics: 'On-the-spot logistics' },
    aidStages: { pledged: 'Pledged', inTransit: 'On the way', arrived: 'Arrived' },
    aidLevel: { none: 'none', partial: 'partial', complete: 'complete' },
    aidAwaiting: 'awaiting answer {0}',
    aidLinesTitle: 'Needed',
    aidPledgesTitle: 'Donors',
    aidNoPledges: 'No donor asked yet.',
    aidPledgeStatus: {
      requested: 'Awaiting answer', accepted: 'Accepted', declined: 'Declined', cancelled: 'Withdrawn',
      dispatched: 'On the way', arrived: 'Arrived', returned: 'Returned', consumed: 'Consumed',
    },
    aidOnBehalf: 'asked by the command',
    aidPledgeActions: { accept: 'Accept', decline: 'Decline', dispatch: 'Dispatch', return: 'Got it back', cancel: 'Withdraw', arrive: 'Arrived', consume: 'Consumed' },
    aidDone: { accept: 'Accepted {0}.', decline: 'Declined.', dispatch: 'Dispatch recorded.', return: 'Return recorded.', cancel: 'Ask withdrawn.', arrive: 'Arrival recorded.', consume: 'Consumption recorded.' },
    aidSuggestions: 'Suggested donors (4-on-the-spot order)',
    aidRefreshMatches: 'Refresh suggestions',
    aidOutstanding: '{0} still needed',
    aidCovered: 'Asked or pledged in full.',
    aidNoSuggestions: 'No other commune has this available.',
    aidAsk: 'Ask for {0}',
    aidAskAnyway: 'Ask anyway for {0}',
    aidAskedDone: 'Asked {0} for {1}.',
    aidExcluded: 'Affected communes (not suggested): {0}',
    aidIncludeAffected: 'Include affected donors',
    aidEscalate: 'Escalate to the province',
    aidEscalated: 'Escalated to the province {0} ({1}).',
    aidCloseRequest: 'Close request',
    aidCancelRequest: 'Cancel request',
    aidOpenRequest: 'Open request',
    aidIncomingNone: 'No asks addressed to this commune.',
    aidIncomingGroups: { requested: 'Awaiting our answer', accepted: 'Accepted — to dispatch', dispatched: 'On the way', arrived: 'Arrived — to come back' },
    aidIncomingAsk: '{0} asks for {1} ({2})',
    aidIncomingFor: 'for {0} · {1} · request #{2}',
    aidAcceptQty: 'Quantity to give',
    aidInventoryTitle: 'Commune inventory (4 on the spot)',
    aidOnHand: 'On hand',
    aidReserved: 'Reserved',
    aidAvailable: 'Available',
    aidInventorySaved: 'Saved: {0} {1}.',
    aidBelowReserved: 'Cannot go below what accepted pledges have reserved ({0}).',
    aidAgreementsTitle: 'Agreements with other communes',
    aidNoAgreements: 'No agreements yet.',
    aidAgreementTitle: 'Agreement #{0}: {1} – {2}',
    aidActive: 'Active',
    aidNotActive: 'Not active yet',
    aidSignedBy: '{0}: signed ({1})',
    aidNotSigned: '{0}: not signed',
    aidSign: 'Sign for {0}',
    aidValidity: 'From {0}',
    aidValidityTo: 'From {0} to {1}',
    aidLends: '{0} lends up to {1} {2}',
    aidPropose: 'Propose an agreement with a neighbour',
    aidPartner: 'Neighbouring commune',
    aidLender: 'Lender',
    aidMaxQty: 'Up to',
    aidContactOwn: 'Our contact',
    aidContactPartner: 'Their contact',
    aidValidFrom: 'From',
    aidValidTo: 'Until (optional)',
    aidProposeSubmit: 'Propose',
    aidProposed: 'Agreement #{0} proposed: active once both communes have signed.',
    aidSigned: 'Agreement #{0} signed.',
    aidFileTitle: 'Request help',
    aidPoint: 'Where help is needed',
    aidPick: 'Pick on the map',
    aidPicking: 'Click the map inside {0}.',
    aidPointSet: 'Location set: {0}, {1}',
    aidNoPoint: 'No location yet.',
    aidPickOutside: 'That point is not in {0}. Click inside the commune.',
    aidHamlet: 'Hamlet / village',
    aidHazardLabel: 'Hazard',
    aidUrgencyLabel: 'Urgency',
    aidNeededBy: 'Needed by (optional)',
    aidDescription: 'What is happening',
    aidType: 'Type',
    aidQty: 'Quantity',
    aidChooseType: '— choose —',
    aidAddLine: '+ Add a type',
    aidRemoveLine: 'Remove this line',
    aidSubmit: 'Send request',
    aidSending: 'Sending…',
    aidDuplicate: 'The commune already has open request #{0} for the same hazard from the last few hours. You may add to it instead of filing a new one.',
    aidDuplicateConfirm: 'File a new request anyway',
    aidFiled: 'Request #{0} filed.',
    aidLineN: 'Line {0}: {1}',
    aidColUrgency: 'Urgency',
    aidColCommune: 'Commune',
    aidColHamlet: 'Hamlet',
    aidColUnmet: 'Unmet',
    aidColAge: 'Waiting',
    aidColStatus: 'Status',
    aidNothingUnmet: 'fully pledged',
    aidConflict: {
      available: 'Only {0} available in stock: accept fewer, or update the inventory.',
      affected: 'This commune is affected itself; only the defense area or the province may ask it.',
      alreadyAsked: 'This commune has already been asked for this line and has not answered yet.',
      changed: 'It changed meanwhile; reloaded.',
      notOpen: 'The request is no longer open.',
      escalated: 'The request has already been escalated.',
    },
    aidInvalid: {
      location: 'The place must be inside the commune: pick it on the map.',
      hamlet: 'Name the hamlet or village (at most 100 characters).',
      hazard: 'Choose the hazard.',
      urgency: 'Choose the urgency.',
      neededBy: 'That time has passed.',
      description: 'The description is at most 2000 characters.',
      lines: 'At least one type is needed, one line per type.',
      resourceType: 'choose a type.',
      quantity: 'the quantity is a whole number from 1 (not more than needed).',
      maxQuantity: 'the maximum is a whole number from 1.',
      lenderCode: 'the lender is one of the two communes.',
      validTo: 'The end date is before the start date.',
      onHand: 'On hand is a whole number from 0.',
    },
    sms: {
      toggle: 'SMS alerts',
      toggleSubscribers: 'SMS subscribers',
      title: 'SMS alerts',
      tabs: { compose: 'Compose', list: 'Alerts sent', subscribers: 'Subscribers' },
      notSender: 'Sending alerts needs the SMS alert permission (given by an administrator).',
      forbidden: 'You may not do this.',
      outOfScope: 'You may not alert communes outside your area: {0}.',
      notYourCommunes: 'Not in your area: {0}.',
      secondPerson: 'An Extreme alert must be approved by another alert sender, not by its author.',
      expiredUnapproved: 'The alert expired before it was approved: compose it again.',
      notAwaiting: 'This alert is no longer awaiting approval.',
      gatewayTwilio: 'SMS gateway: Twilio, sender {0}, {1}.',
      gatewayOff: 'No SMS gateway configured: alerts are queued but not sent.',
      perSecond: 'at most {0} messages/s',
      unlimited: 'no rate limit',
      composingUpdate: 'Update of alert #{0}: the old alert ends and its unsent messages are withdrawn.',
      composingCancel: 'Cancellation of alert #{0}: recipients are told it is cancelled; unsent messages are withdrawn.',
      startOver: 'Start over',
      targets: 'Send to',
      modes: { communes: 'Pick communes', polygon: 'Draw an area', circle: 'Circle' },
      pickOnMap: 'Pick communes on the map',
      pickStop: 'Stop picking on the map',
      pickHint: 'Click a commune on the map to add it, click again to remove it.',
      filterCommunes: 'Filter communes by name (diacritics optional)',
      searchCommunes: 'Find a commune by name',
      moreCommunes: '… and {0} more: type to filter',
      chosenNone: 'No commune chosen.',
      chosenN: '{0} communes chosen:',
      removeCommune: 'Remove {0}',
      polygonNone: 'No area drawn.',
      polygonPoints: 'Drawing: {0} points.',
      polygonDone: 'Area drawn ({0} points).',
      drawHint: 'Click the points on the map one by one; double-click or “Done” closes the area.',
      drawStart: 'Start drawing',
      drawAgain: 'Draw again',
      drawFinish: 'Done',
      drawClear: 'Clear the area',
      circleNone: 'No centre yet.',
      circleCentre: 'Centre: {0}, {1}',
      circleHint: 'Click the map to place the centre.',
      circlePick: 'Pick the centre on the map',
      circleMove: 'Move the centre',
      radius: 'Radius (km)',
      message: 'Message',
      template: 'Registered message template',
      chooseTemplate: '— choose a template —',
      cancelTemplate: 'Registered cancellation template',
      chooseCancelTemplate: '— choose a cancellation template —',
      noCancelTemplate: 'No cancellation template yet: an administrator must register one of kind “cancellation / all-clear”.',
      templateKinds: { warning: 'warning template', cancel: 'cancellation / all-clear template' },
      instructionCancel: 'A cancellation does not repeat the old alert’s instruction: leave it empty, or say what people should do now.',
      cancelHeadline: 'Hủy cảnh báo: ',
      freeText: 'Free text',
      freeTextNote: 'Free text only where the operators allow it (messages not matching a registered template may be blocked).',
      registration: 'Template registration:',
      autoFilled: 'Filled in from the targets and the fields below: {0}',
      valueOf: 'Value for {{0}}',
      placeholders: { place: 'Place {place}', level: 'Level {level}', river: 'River {river}', shelter: 'Shelter {shelter}', phone: 'Phone {phone}' },
      event: 'Event',
      eventExample: 'e.g. Lũ quét (flash flood)',
      headline: 'Headline',
      instruction: 'Instruction to the public',
      description: 'Description (optional)',
      fold: 'Send without diacritics to everyone (GSM-7: cheaper, readable on any phone)',
      cap: 'Alert details (CAP)',
      severity: 'Severity',
      urgency: 'Urgency',
      certainty: 'Certainty',
      category: 'Category',
      status: 'Status',
      testOnly: 'Tests and exercises go only to the test group, never to the public.',
      expires: 'Expires at',
      expiresHint: 'Empty: in 6 hours.',
      riskLevel: 'Disaster risk level',
      riskN: 'Level {0}',
      riskNote: 'Decree 66/2021: levels 4–5 are repeated at least hourly, levels 1–3 at least every 3 hours (set automatically when empty).',
      repeat: 'Repeat every (minutes)',
      repeatAuto: 'no repeat',
      preview: 'Preview',
      send: 'Send…',
      sending: 'Sending…',
      previewTitle: 'Preview (not sent)',
      pvText: 'The message people will receive:',
      pvRecipients: 'Recipients',
      recipientsN: '{0} phone numbers',
      recipientsFolded: '{0} phone numbers ({1} without diacritics)',
      pvCommunes: 'Communes',
      pvCharacters: 'Characters',
      pvEncoding: 'Encoding',
      encodings: { 'UCS-2': 'Vietnamese with diacritics, 70 characters per SMS', 'GSM-7': 'without diacritics, 160 characters per SMS' },
      pvSegments: 'SMS per recipient',
      segmentsEach: '{0} SMS ({1} characters each)',
      pvFolded: 'Recipients without diacritics',
      foldedEach: '{0} characters, {1}, {2} SMS each',
      pvTotal: 'Total SMS',
      totalN: '{0} messages',
      totalRounds: '{0} messages ({1} rounds × {2}) if it runs until it expires',
      pvPerRound: 'Per round',
      pvTime: 'Estimated sending time',
      pvTimeRound: 'Sending time per round',
      timeAt: '{0} (at {1} messages/s)',
      timeUnlimited: 'no rate limit',
      aboutSeconds: 'about {0} s',
      aboutMinutes: 'about {0} min {1} s',
      aboutHours: 'about {0} h {1} min',
      pvRounds: 'Rounds',
      roundsOne: '1 round',
      roundsEvery: '{0} rounds, every {1} minutes',
      stale: 'You changed the alert: press “Preview” again.',
      notSentGateway: 'Not sent: no SMS gateway is configured. Messages are only recorded.',
      needsApprover: 'Extreme: another alert sender must approve it before it goes out (two-person rule).',
      pvEndsCancel: 'This CANCELS alert #{0} “{1}”: alert #{0} ends and is not repeated again.',
      pvEndsUpdate: 'This REPLACES alert #{0} “{1}”: alert #{0} ends and is not repeated again.',
      pvEndsWithdrawn: '{0} unsent messages of alert #{1} will be withdrawn.',
      longMessage: 'Long message: {0} SMS per recipient (keep it to {1}). Long concatenated messages arrive incomplete or out of order on old phones and cost {0} times as much: shorten it or send it without diacritics. At most {2} SMS.',
      testGroupOnly: '{0}: goes to the test group only.',
      noRecipients: 'Nobody is subscribed in these communes.',
      confirmText: 'Send the alert to {0} phone numbers, {1} SMS in all? Messages sent cannot be recalled.',
      confirmRounds: 'Send the alert to {0} phone numbers: {1} SMS per round, {2} rounds, up to {3} SMS in all? Messages sent cannot be recalled.',
      confirmCancel: 'Send the CANCELLATION of alert #{4} to {0} phone numbers, {1} SMS in all? Messages sent cannot be recalled.',
      confirmApprover: 'Save the alert ({0} phone numbers, {1} SMS per round) for a second sender to approve?',
      confirmGateway: 'Note: no SMS gateway is configured; the messages will wait in the queue.',
      confirmSend: 'Confirm and send',
      sentDone: 'Alert #{0} sent.',
      recordedNotSent: 'Alert #{0} recorded, not sent: no SMS gateway is configured.',
      cancelSent: 'Cancellation of alert #{1} sent (#{0}).',
      cancelRecorded: 'Cancellation of alert #{1} recorded (#{0}), not sent: no SMS gateway is configured.',
      sentAwaiting: 'Alert #{0} saved: awaiting a second sender’s approval.',
      stateFilter: 'Filter by state',
      allStates: 'All states',
      states: { awaiting_approval: 'Awaiting approval', active: 'Active', ended: 'Ended', rejected: 'Rejected' },
      statuses: { Actual: 'Actual', Exercise: 'Exercise', Test: 'Test' },
      msgTypes: { Alert: 'Alert', Update: 'Update', Cancel: 'Cancel' },
      severities: { Extreme: 'Extreme', Severe: 'Severe', Moderate: 'Moderate', Minor: 'Minor', Unknown: 'Unknown' },
      urgencies: { Immediate: 'Immediate', Expected: 'Expected', Future: 'Future', Past: 'Past', Unknown: 'Unknown' },
      certainties: { Observed: 'Observed', Likely: 'Likely', Possible: 'Possible', Unlikely: 'Unlikely', Unknown: 'Unknown' },
      categories: {
        Met: 'Weather, floods', Geo: 'Geological (earthquake, landslide)', Safety: 'Safety', Security: 'Security', Rescue: 'Rescue',
        Fire: 'Fire', Health: 'Health', Env: 'Environment', Transport: 'Transport', Infra: 'Infrastructure', CBRNE: 'Chemical, radiological, explosive', Other: 'Other',
      },
      endedReasons: { cancelled: 'cancelled', superseded: 'superseded by an update', expired: 'expired', completed: 'completed' },
      rejectedBecause: 'rejected: {0}',
      refresh: 'Refresh',
      noAlerts: 'No alerts yet.',
      andMore: ' and {0} more',
      sentOfTotal: '{0}/{1} sent',
      back: '‹ List',
      alertN: 'alert #{0}',
      validity: 'Valid',
      fromTo: 'from {0} to {1}',
      communes: 'Communes',
      circleText: '{0} km around {1}, {2}',
      areaText: 'drawn area, {0} points',
      createdBy: 'Sent by',
      approvedBy: 'Approved by',
      repeatText: 'every {0} minutes, next round: {1}',
      ended: 'Ended',
      smsText: 'Message:',
      progressTitle: 'Delivery',
      roundsSoFar: '({0} rounds)',
      progressLabel: '{0} of {1} messages sent',
      total: 'Total: {0}',
      progress: { queued: 'Queued', sent: 'Sent', delivered: 'Delivered', failed: 'Failed', optedOut: 'Opted out', withdrawn: 'Withdrawn' },
      notYet: 'Not sent: awaiting approval.',
      noMessages: 'No messages yet.',
      liveNote: 'Updates every 2 seconds.',
      awaitingOwn: 'Awaiting another alert sender’s approval (you composed it).',
      awaitingOther: 'Awaiting an alert sender’s approval.',
      approvalAsk: 'Extreme alert: a second person checks it, then approves or rejects it.',
      approve: 'Approve and send',
      reject: 'Reject',
      rejectReason: 'Reason for rejecting',
      approved: 'Alert #{0} approved: sending.',
      approvedNotSent: 'Alert #{0} approved, not sent: no SMS gateway is configured.',
      rejected: 'Alert #{0} rejected.',
      update: 'Update the alert',
      cancelAlert: 'Cancel the alert',
      cancelsBadge: 'Cancelled alert #{0}',
      updatesN: 'Update of alert #{0}',
      cancels: 'Cancels',
      updates: 'Updates',
      legendTargets: 'SMS alert targets',
      log: 'SMS log',
      logFilter: 'Filter the log by status',
      allStatuses: 'All statuses',
      smsStatuses: {
        queued: 'Queued', sending: 'Sending', uncertain: 'Reconciling', accepted: 'Handed over', sent: 'Sent',
        delivered: 'Delivered', undelivered: 'Undelivered', failed: 'Failed', opted_out: 'Opted out', cancelled: 'Withdrawn', expired: 'Expired',
      },
      foldedShort: 'no diacritics',
      colPhone: 'Phone', colStatus: 'Status', colRound: 'Round', colSegments: 'SMS', colAttempts: 'Attempts', colError: 'Error', colUpdated: 'Updated',
      more: 'More',
      roundN: 'round {0}',
      commune: 'Commune',
      lookup: 'Find a phone number',
      lookupPlaceholder: 'Find a number: 0912 345 678',
      lookupButton: 'Find',
      lookupResult: 'Number found',
      lookupNone: 'This number is not subscribed in your communes.',
      addTitle: 'Add a number in {0}',
      phone: 'Mobile number',
      testGroup: 'Test group',
      prefersFolded: 'Without diacritics',
      note: 'Note',
      consentNote: 'Only add a number when its owner agreed to receive alerts (in person or on paper).',
      add: 'Add',
      added: '{0} added to {1}.',
      merged: '{0} was already subscribed: added to {1}.',
      importTitle: 'Import a CSV file',
      importHint: 'Columns: phone, communes (codes separated by spaces), optional folded, test_group, note. One bad row and nothing is imported.',
      importButton: 'Import',
      importing: 'Importing…',
      importChoose: 'Choose a CSV file.',
      importRefused: 'The file was not imported (nothing was written). Fix these rows:',
      andMoreRows: '… and {0} more rows.',
      importDone: '{0} rows read: {1} added, {2} updated.',
      importSkipped: '{0} numbers that opted out by SMS were not re-added:',
      row: 'Row {0}: {1}',
      subscribersOf: 'Subscribers in {0}',
      noSubscribers: 'No number is subscribed in this commune yet.',
      optedOutBadge: 'Opted out',
      optedOutText: 'Texted STOP on {0}: never sent to again. Only the number itself can subscribe again.',
      consent: 'Consent: {0} ({1}, {2})',
      consentSources: { official: 'recorded by an official', import: 'imported from a file', sms: 'subscribed by SMS' },
      alsoIn: 'also in: {0}',
      inCommunes: 'subscribed in: {0}',
      removeFromCommune: 'Remove from this commune',
      showLog: 'SMS log',
      hideLog: 'Hide log',
      savedNumber: '{0} saved.',
      removed: '{0} removed from {1}.',
      api: {
        event: 'Name the event (up to 100 characters), e.g. “Lũ quét”.',
        headline: 'Write a headline (up to 200 characters).',
        chooseTargets: 'Choose the communes to alert, or draw an area.',
        oneTarget: 'Choose one way: communes, or an area, or a circle.',
        unknownCommunes: 'No commune with code: {0}.',
        tooManyCommunes: 'At most {0} communes.',
        areaShape: 'The drawn area is not valid: draw it again.',
        areaPoints: 'The area needs at least 3 distinct points.',
        areaTooManyPoints: 'The area has too many points (at most 1,000).',
        areaCrosses: 'The area crosses itself: draw it again without crossing lines.',
        areaTooLarge: 'The area covers {0} km²: draw at most 50,000 km² (or pick communes).',
        areaNoCommune: 'The area touches no commune.',
        areaTooMany: 'The area touches {0} communes: at most 500.',
        circleCentre: 'Pick the centre of the circle on the map.',
        circleRadius: 'The radius is from 0.1 to 100 km.',
        needValues: 'The template needs values for: {0}.',
        fillOwn: 'The template uses {{0}}: fill in this field.',
        noTemplate: 'This template is no longer in use: choose another.',
        chooseTemplate: 'Choose a registered message template.',
        noFreeText: 'Free text is not allowed here: choose a registered template.',
        templateOrText: 'A template or free text, not both.',
        emptyMessage: 'The message is empty.',
        messageTooLong: 'The message has {0} characters; at most 1,600.',
        expiresOrder: 'The expiry must be after the start.',
        tooLong: 'An alert lasts at most 7 days; issue an update to extend it.',
        effective: 'The start time is not valid (not in the past, within 7 days).',
        riskLevel: 'The risk level is 1 to 5.',
        repeatRange: 'Repeat every 15 to 1,440 minutes.',
        repeatHourly: 'Above level 3 it is repeated at least hourly (Decree 66/2021): at most 60 minutes.',
        repeat3h: 'It is repeated at least every 3 hours (Decree 66/2021): at most 180 minutes.',
        cancelNoRepeat: 'A cancellation is not repeated.',
        refOnlyUpdate: 'Only an update or a cancellation references an earlier alert.',
        refNeeded: 'An update or cancellation must reference the original alert.',
        refUnknown: 'There is no alert #{0}.',
        refIsCancel: 'Alert #{0} is a cancellation: reference the original alert.',
        refRejected: 'Alert #{0} was rejected and never went out.',
        refEnded: 'Alert #{0} has already been {1}.',
        templateIsCancel: 'This is a cancellation template: it only ends an alert.',
        cancelNeedsCancelTemplate: 'A cancellation is sent with a cancellation / all-clear template, not a warning template.',
        cancelRepeatsInstruction: 'A cancellation must not repeat the instruction of alert #{0}: say what people should do now, or leave it empty.',
        tooManySegments: 'The message has {1} characters ({2}): {0} SMS per recipient, at most {3}. Shorten it (without diacritics it is much shorter).',
        refStatus: 'The original alert is “{0}”: its update or cancellation must be too.',
        tooLongField: '{0}: at most {1} characters.',
        phoneEmpty: 'Enter a phone number.',
        phoneTooLong: 'The phone number is too long.',
        phoneLandline: '“{0}” is a landline: it cannot receive SMS.',
        phoneForeign: '“{0}” is not a Vietnamese mobile number (+84): commune subscribers must be Vietnamese mobiles.',
        phoneNotMobile: '“{0}” is not a mobile number.',
        phoneInvalid: '“{0}” is not a valid phone number.',
        noCommune: 'no commune codes',
        optedOutOn: '{0} opted out by SMS on {1}: never sent to again. Only the number itself can subscribe again (START or DK <commune>).',
        optedOut: '{0} opted out by SMS: not re-added.',
        notYesNo: '{0} “{1}” is not yes/no',
        noteTooLong: 'the note is longer than 200 characters',
        fileNoRows: 'the file has a header but no rows',
        fileHeader: 'The header must name the columns phone and communes (optional: folded, test_group, note).',
        fileEmpty: 'The file is empty.',
        fileTooLarge: 'The file is larger than 20 MB: split it.',
        fileTooManyRows: 'At most {0} rows per file.',
        lostZero: '{0} numbers had lost their leading 0 (Excel) and were read as Vietnamese mobile numbers.',
        repeatedRows: '{0} rows repeated a number: their communes were merged.',
        notConfigured: 'Not sent: no SMS gateway is configured.',
      },
    },
  },
};

export const ROLES = ['commune_leader', 'defense_commander', 'province_operator', 'admin'];
/** The scope kind each role carries (none for admin), as the API requires. */
export const SCOPE_OF_ROLE = { commune_leader: 'commune', defense_commander: 'defense_area', province_operator: 'province', admin: null };

// ---------------------------------------------------------------- language
const LANG_KEY = 'coordination.lang';
export let lang = localStorage.getItem(LANG_KEY) === 'en' ? 'en' : 'vi';
/** Fills {0}, {1} … in a text. */
export const fmt = (text, ...args) => String(text ?? '').replace(/\{(\d)\}/g, (_, i) => args[i] ?? '');
export const t = (key, ...args) => fmt(STRINGS[lang][key] ?? key, ...args);

/** ISO 8601 with the browser's offset ("2025-11-23T18:00:00+07:00") from a datetime-local value. */
export function withOffset(local) {
  if (!local) return null;
  const d = new Date(local);
  if (Number.isNaN(d.getTime())) return null;
  const off = -d.getTimezoneOffset();
  const pad = (n) => String(Math.floor(Math.abs(n))).padStart(2, '0');
  return `${local.length === 16 ? `${local}:00` : local}${off >= 0 ? '+' : '-'}${pad(off / 60)}:${pad(off % 60)}`;
}
export const nfc = (s) => (s == null ? '' : String(s).normalize('NFC'));
export const locale = () => (lang === 'vi' ? 'vi-VN' : 'en-GB');
export const roleLabel = (role) => STRINGS[lang].roles[role] ?? nfc(role);
export const scopeKindLabel = (kind) => STRINGS[lang].scopeKinds[kind] ?? nfc(kind);
export const dateTime = (iso) => {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? nfc(iso)
    : new Intl.DateTimeFormat(locale(), { dateStyle: 'short', timeStyle: 'short' }).format(d);
};

const languageListeners = [];
/** Called after every language change (and once by applyLanguage at start). */
export const onLanguage = (fn) => languageListeners.push(fn);

/** Fills every data-i18n* element of the page, then lets the page re-render what it built itself. */
export function applyLanguage(titleKey = 'title') {
  document.documentElement.lang = lang;
  document.title = t(titleKey);
  for (const node of document.querySelectorAll('[data-i18n]')) node.textContent = t(node.dataset.i18n);
  for (const node of document.querySelectorAll('[data-i18n-placeholder]')) node.placeholder = t(node.dataset.i18nPlaceholder);
  for (const node of document.querySelectorAll('[data-i18n-label]')) node.setAttribute('aria-label', t(node.dataset.i18nLabel));
  const button = $('#lang');
  if (button) {
    button.textContent = t('switchLang');
    button.lang = lang === 'vi' ? 'en' : 'vi';
    button.setAttribute('aria-label', t('switchLangLabel'));
  }
  for (const fn of languageListeners) fn();
}

export function initLanguage(titleKey) {
  $('#lang')?.addEventListener('click', () => {
    lang = lang === 'vi' ? 'en' : 'vi';
    localStorage.setItem(LANG_KEY, lang);
    applyLanguage(titleKey);
  });
  applyLanguage(titleKey);
}

// ---------------------------------------------------------------- DOM
export const $ = (sel) => document.querySelector(sel);
/** Builds an element; string children become text nodes (never parsed as HTML). */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v == null || v === false) continue;
    if (k === 'class') node.className = v;
    else if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
    else if (v === true) node.setAttribute(k, '');
    else node.setAttribute(k, v);
  }
  for (const c of children.flat()) if (c != null && c !== '') node.append(typeof c === 'string' ? nfc(c) : c);
  return node;
}

// ---------------------------------------------------------------- API
export async function getJson(url, signal) {
  const res = await fetch(url, { signal, headers: { Accept: 'application/json' } });
  if (!res.ok) throw new Error(`HTTP ${res.status}`);
  return res.json();
}

let xsrf = null;   // { token, headerName } for the current identity

async function antiforgery() {
  if (!xsrf) {
    const res = await fetch('/api/auth/antiforgery', { headers: { Accept: 'application/json' }, cache: 'no-store' });
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    const body = await res.json();
    xsrf = { token: body.token, headerName: body.headerName || 'X-XSRF-TOKEN' };
  }
  return xsrf;
}

/**
 * Calls the API and never throws for HTTP errors: { ok, status, data, problem, retryAfter }. Unsafe methods
 * carry the antiforgery header; a rejected token (400 naming antiforgery) is refreshed and the call retried once.
 * The body goes as JSON, or as it is when a contentType is given (a file: `text/csv` and an ArrayBuffer).
 */
export async function api(url, { method = 'GET', body, signal, contentType } = {}) {
  const unsafe = !['GET', 'HEAD'].includes(method);
  for (let attempt = 0; ; attempt++) {
    const headers = { Accept: 'application/json, application/problem+json' };
    if (body !== undefined) headers['Content-Type'] = contentType ?? 'application/json';
    if (unsafe) { const x = await antiforgery(); headers[x.headerName] = x.token; }
    const res = await fetch(url, { method, headers, signal, cache: 'no-store',
      body: body === undefined ? undefined : contentType ? body : JSON.stringify(body) });
    const type = res.headers.get('content-type') ?? '';
    const data = type.includes('json') ? await res.json().catch(() => null) : null;
    const problem = res.ok ? null : (data ?? { status: res.status });
    if (unsafe && attempt === 0 && res.status === 400 && /antiforgery|xsrf/i.test(JSON.stringify(problem))) {
      xsrf = null;
      continue;
    }
    if (res.status === 401 && session.user && !url.startsWith('/api/auth/')) queueMicrotask(() => sessionEnded());
    return { ok: res.ok, status: res.status, data: res.ok ? data : null, problem,
      retryAfter: Number(res.headers.get('retry-after')) || null };
  }
}

/** Our sentence for a field the API rejected, else the API's own message. */
export function fieldError(field, messages) {
  const key = Object.keys(STRINGS[lang].invalid).find((k) => k.toLowerCase() === String(field).toLowerCase());
  return key ? STRINGS[lang].invalid[key] : [].concat(messages).map(nfc).join(' ');
}

/** A problem's human text in the page language: our own sentence for the statuses we know, else its title/detail. */
export function problemText(r) {
  if (r.status === 401) return t('sessionEnded');
  if (r.status === 403) return t('forbidden');
  const p = r.problem ?? {};
  return t('requestFailed', nfc(p.detail || p.title || `HTTP ${r.status}`));
}

// ---------------------------------------------------------------- session
const sessionListeners = [];
export const session = {
  user: null,
  /** fn(user, { restored }) after sign-in, sign-out and the start-up check. */
  onChange(fn) { sessionListeners.push(fn); },
};

function setUser(user, how) {
  session.user = user;
  xsrf = null;                      // the antiforgery token is bound to the identity
  document.body.dataset.auth = user ? 'signed-in' : 'anonymous';
  renderAuth();
  for (const fn of sessionListeners) fn(user, how);
  if (user) antiforgery().catch(() => {});
}

// The auth cookie is HttpOnly, so the page keeps a hint that it signed in: anonymous visitors then skip
// GET /api/auth/me, whose 401 the browser would log as a console error on every page load.
const SESSION_HINT = 'coordination.signedIn';

/** Restores the session from the cookie (GET /api/auth/me) when this browser signed in before. */
export async function restoreSession() {
  let user = null;
  if (localStorage.getItem(SESSION_HINT)) {
    try {
      const res = await fetch('/api/auth/me', { headers: { Accept: 'application/json' }, cache: 'no-store' });
      if (res.ok) user = await res.json();
      else if (res.status === 401) localStorage.removeItem(SESSION_HINT);
    } catch { /* offline or API down: anonymous for now */ }
  }
  setUser(user, { restored: true });
  return user;
}

async function signIn(userName, password) {
  const r = await api('/api/auth/login', { method: 'POST', body: { userName, password } });
  if (r.ok) {
    localStorage.setItem(SESSION_HINT, '1');
    setUser(r.data, { restored: false });
  }
  return r;
}

/** The server no longer knows the cookie (expired, or the user was changed): anonymous again. */
function sessionEnded() {
  if (!session.user) return;
  localStorage.removeItem(SESSION_HINT);
  setUser(null, { restored: false, ended: true });
}

export async function signOut() {
  await api('/api/auth/logout', { method: 'POST' }).catch(() => {});
  localStorage.removeItem(SESSION_HINT);
  setUser(null, { restored: false });
}

/** The sign-in failure in words: wrong credentials, locked out (until when), rate-limited (for how long). */
function signInError(r) {
  const p = r.problem ?? {};
  if (r.status === 401) return t('badCredentials');
  if (r.status === 423) {
    // The detail says "… locked until 2026-11-23 11:05 UTC."
    const m = /(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2})(?::\d{2})?\s*UTC/.exec(p.detail ?? '');
    if (m) return t('lockedOutUntil', dateTime(`${m[1]}T${m[2]}:00Z`));
    return p.detail ? `${t('lockedOut')} (${nfc(p.detail)})` : t('lockedOut');
  }
  if (r.status === 429) return r.retryAfter ? t('tooManyAttempts', r.retryAfter) : t('tooManyAttemptsLater');
  return t('requestFailed', nfc(p.detail || p.title || `HTTP ${r.status}`));
}

// ---------------------------------------------------------------- header widget and sign-in dialog
let dialog = null;

/** Puts the sign-in button (or the signed-in user and a sign-out button) into #auth. */
export function mountAuth({ adminLink = true } = {}) {
  const host = $('#auth');
  if (!host) return;
  host.dataset.adminLink = String(adminLink);
  dialog = buildDialog();
  document.body.append(dialog);
  onLanguage(renderAuth);
  renderAuth();
}

function renderAuth() {
  const host = $('#auth');
  if (!host) return;
  const user = session.user;
  if (!user) {
    host.replaceChildren(el('button', { id: 'signin', type: 'button', class: 'bar-button', onclick: openDialog }, t('signIn')));
    return;
  }
  const role = roleLabel(user.role);
  host.replaceChildren(...[
    el('span', { id: 'who', title: t('signedInAs', nfc(user.displayName), role) },
      el('span', { id: 'user-name' }, nfc(user.displayName || user.userName)),
      el('span', { id: 'user-role' }, role)),
    user.role === 'admin' && host.dataset.adminLink === 'true'
      ? el('a', { id: 'admin-link', class: 'bar-button', href: '/admin.html' }, t('adminLink')) : null,
    el('button', { id: 'signout', type: 'button', class: 'bar-button', title: t('signedInAs', nfc(user.displayName), role),
      onclick: () => signOut() }, t('signOut')),
  ].filter(Boolean));
}

function buildDialog() {
  const error = el('p', { id: 'signin-error', class: 'form-error', role: 'alert', hidden: true });
  const submit = el('button', { type: 'submit', id: 'signin-submit', 'data-i18n': 'signIn' }, t('signIn'));
  const form = el('form', { method: 'dialog', id: 'signin-form' },
    el('h2', { 'data-i18n': 'signInTitle' }, t('signInTitle')),
    el('label', { for: 'signin-user', 'data-i18n': 'userName' }, t('userName')),
    el('input', { id: 'signin-user', name: 'userName', autocomplete: 'username', required: true, spellcheck: 'false', autocapitalize: 'none' }),
    el('label', { for: 'signin-password', 'data-i18n': 'password' }, t('password')),
    el('input', { id: 'signin-password', name: 'password', type: 'password', autocomplete: 'current-password', required: true }),
    error,
    el('div', { class: 'actions' },
      submit,
      el('button', { type: 'button', id: 'signin-cancel', 'data-i18n': 'cancel', onclick: () => dialog.close() }, t('cancel'))));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    if (submit.disabled) return;
    submit.disabled = true;
    error.hidden = true;
    submit.textContent = t('signingIn');
    try {
      const r = await signIn(form.elements.userName.value.trim(), form.elements.password.value);
      if (r.ok) {
        form.reset();
        dialog.close();
      } else {
        error.textContent = signInError(r);
        error.hidden = false;
        form.elements.password.select();
      }
    } catch (err) {
      error.textContent = t('requestFailed', err.message);
      error.hidden = false;
    } finally {
      submit.disabled = false;
      submit.textContent = t('signIn');
    }
  });
  const d = el('dialog', { id: 'signin-dialog', 'aria-labelledby': 'signin-title' }, form);
  form.querySelector('h2').id = 'signin-title';
  d.addEventListener('close', () => { error.hidden = true; });
  return d;
}

function openDialog() {
  dialog.showModal();
  dialog.querySelector('#signin-user').focus();
}
