//! Every string a resident or staff member reads, in zh-CN (first) and English.
//!
//! The table is one macro invocation, so a key cannot exist in one language and not the
//! other: completeness is checked by the compiler, and the tests below check the rest
//! (no empty text, Chinese text really is Chinese, both languages use the same
//! `{placeholders}`).

/// A language the interface is offered in.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Lang {
    /// Simplified Chinese, the default.
    #[default]
    ZhCn,
    /// English.
    En,
}

impl Lang {
    /// Every supported language, Chinese first.
    pub const ALL: [Lang; 2] = [Lang::ZhCn, Lang::En];

    /// The BCP 47 code used in config files, storage and `<html lang>`.
    pub fn code(self) -> &'static str {
        match self {
            Lang::ZhCn => "zh-CN",
            Lang::En => "en",
        }
    }

    /// Parses the exact code written in config files and storage.
    pub fn from_code(code: &str) -> Option<Lang> {
        match code {
            "zh-CN" => Some(Lang::ZhCn),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    /// The language's name in itself, as shown in a language switch.
    pub fn endonym(self) -> &'static str {
        match self {
            Lang::ZhCn => "中文",
            Lang::En => "English",
        }
    }

    /// The voice language for speech synthesis.
    pub fn speech_code(self) -> &'static str {
        match self {
            Lang::ZhCn => "zh-CN",
            Lang::En => "en-US",
        }
    }

    /// Looks up a text in this language.
    pub fn t(self, text: impl Table) -> &'static str {
        text.get(self)
    }

    /// Looks up a text and fills its `{name}` placeholders.
    pub fn fill(self, text: impl Table, args: &[(&str, &str)]) -> String {
        fill(text.get(self), args)
    }
}

/// Replaces each `{name}` in `template` with its value from `args`; unknown
/// placeholders are left as they are, so a missing argument shows rather than hides.
pub fn fill(template: &str, args: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(template.len() + 16);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find('}') {
            Some(close) => {
                let name = &after[..close];
                match args.iter().find(|(k, _)| *k == name) {
                    Some((_, value)) => out.push_str(value),
                    None => {
                        out.push('{');
                        out.push_str(name);
                        out.push('}');
                    }
                }
                rest = &after[close + 1..];
            }
            None => {
                out.push_str(&rest[open..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

macro_rules! texts {
    ($(#[$doc:meta])* $name:ident; $($key:ident => $zh:literal, $en:literal;)*) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        #[allow(missing_docs)]
        pub enum $name { $($key),* }

        impl $name {
            /// Every key, for completeness tests.
            pub const ALL: &'static [$name] = &[$($name::$key),*];
        }

        impl Table for $name {
            const NAME: &'static str = stringify!($name);

            fn index(self) -> usize {
                self as usize
            }

            fn builtin(self, lang: Lang) -> &'static str {
                // One array indexed by the key: a `match` over hundreds of keys is a
                // jump table several kilobytes long in the residents' download.
                const TEXTS: &[[&str; 2]] = &[$([$zh, $en]),*];
                TEXTS[self as usize][lang as usize]
            }

            fn all() -> &'static [$name] {
                $name::ALL
            }
        }
    };
}
pub(crate) use texts;

/// A table of texts in every language: the shell's ([`Text`]), the console's
/// ([`StaffText`]) and each scenario's own (`meals::MealText`).
pub trait Table: Copy + std::fmt::Debug + 'static {
    /// The table's name, which [`set_wording`] keys by (`Text`, `MealText`).
    const NAME: &'static str;
    /// The key's place in its table.
    fn index(self) -> usize;
    /// The text as linli ships it.
    fn builtin(self, lang: Lang) -> &'static str;
    /// Every key, for completeness checks.
    fn all() -> &'static [Self];
    /// The text in one language: the app's own wording where it set one
    /// ([`set_wording`]), else linli's.
    fn get(self, lang: Lang) -> &'static str {
        wording(Self::NAME, self.index(), lang).unwrap_or_else(|| self.builtin(lang))
    }
}

std::thread_local! {
    /// Wording an app set: (table, key index, language, text).
    static WORDING: std::cell::RefCell<Vec<(&'static str, usize, Lang, &'static str)>> =
        const { std::cell::RefCell::new(Vec::new()) };
}

fn wording(table: &'static str, index: usize, lang: Lang) -> Option<&'static str> {
    WORDING.with(|w| {
        w.borrow()
            .iter()
            .find(|(t, i, l, _)| *t == table && *i == index && *l == lang)
            .map(|(_, _, _, text)| *text)
    })
}

/// Why an app's wording was not taken.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WordingError {
    /// The placeholders linli's text fills (`{pay}`), which the wording must keep.
    pub expected: Vec<String>,
}

/// An app embedding linli's widgets says something its own way: `text` replaces `key`
/// in `lang` from now on, in this thread (the browser's one). It must use the same
/// `{placeholders}` as linli's text, or it is refused and linli's stays.
///
/// ```
/// use linli_core::i18n::{set_wording, Lang, Table, Text};
/// set_wording(Text::TabMe, Lang::ZhCn, "我的家").unwrap();
/// assert_eq!(Lang::ZhCn.t(Text::TabMe), "我的家");
/// assert!(set_wording(Text::PublishedOn, Lang::ZhCn, "发布").is_err());
/// ```
pub fn set_wording<T: Table>(key: T, lang: Lang, text: &'static str) -> Result<(), WordingError> {
    let expected = placeholders(key.builtin(lang));
    if placeholders(text) != expected {
        return Err(WordingError { expected });
    }
    WORDING.with(|w| {
        let mut w = w.borrow_mut();
        w.retain(|(t, i, l, _)| !(*t == T::NAME && *i == key.index() && *l == lang));
        w.push((T::NAME, key.index(), lang, text));
    });
    Ok(())
}

/// The `{names}` a text fills, sorted.
pub fn placeholders(s: &str) -> Vec<String> {
    let mut names: Vec<String> = s
        .split('{')
        .skip(1)
        .filter_map(|rest| rest.split_once('}').map(|(name, _)| name.to_owned()))
        .collect();
    names.sort();
    names.dedup();
    names
}

texts! {
    /// A key into the resident-facing table (everything the browser shows).
    Text;
    Loading => "正在加载…", "Loading…";
    TabHome => "首页", "Home";
    TabNotices => "公告", "Notices";
    TabMe => "我的", "Me";
    MainNav => "主导航", "Main navigation";
    ElderMode => "长辈版", "Elder mode";
    ElderModeExit => "退出长辈版", "Exit elder mode";
    ElderModeHint => "字更大、按钮更大，看得清、点得准", "Larger text and buttons, easier to read and tap";
    On => "已开启", "On";
    Off => "已关闭", "Off";
    Offline => "离线", "Offline";
    OfflineHint => "网络已断开，已打开的内容仍可查看", "You are offline; what is already loaded still works";
    UpdateReady => "新版本已准备好", "A new version is ready";
    UpdateApply => "立即更新", "Update now";
    HomeServices => "便民服务", "Services";
    HotlineTile => "服务热线", "Service hotline";
    HotlineCall => "拨打 {number}", "Call {number}";
    NoticesTile => "社区公告", "Community notices";
    NoticesTileHint => "共 {count} 条", "{count} in all";
    NoticesTileUnread => "{count} 条未读", "{count} unread";
    NoticeUnread => "未读", "Unread";
    NoticePinned => "【置顶】{title}", "[Pinned] {title}";
    NoticesLoading => "正在加载公告…", "Loading notices…";
    NoticesUnavailable => "公告要联网后才能查看：请联网后再打开这一页，之后离线也能看到", "Notices need a connection: open this page once online, and they will show offline after that";
    LatestNotices => "最新公告", "Latest notices";
    MoreNotices => "查看全部公告", "See all notices";
    ScenarioMeals => "老年助餐", "Meals for elders";
    ScenarioVoting => "业主议事表决", "Owners' voting";
    ScenarioFeedback => "诉求反馈", "Report a problem";
    ScenarioForms => "表单问卷", "Forms";
    ScenarioMealsHint => "订明天的午餐、晚餐，可送上门", "Order lunch and dinner, delivered to the door";
    ScenarioVotingHint => "小区大事，业主共同决定", "Owners decide the estate's matters together";
    ScenarioFeedbackHint => "有事找街道，办理进度可查", "Tell the sub-district; follow the progress";
    ScenarioFormsHint => "填写报名表和问卷", "Fill in sign-ups and surveys";
    NoticesEmpty => "暂无公告", "No notices yet";
    NoticeNotFound => "找不到这条公告，可能已被撤下", "This notice was not found; it may have been withdrawn";
    Back => "返回", "Back";
    PublishedOn => "发布日期：{date}", "Published: {date}";
    NoticeAttachment => "附件", "Attachment";
    NoticeImage => "公告图片：{title}（联网后显示）", "Picture for: {title} (shown when online)";
    ReadAloud => "朗读", "Read aloud";
    ReadAloudStop => "停止朗读", "Stop reading";
    ReadAloudUnavailable => "此浏览器不支持朗读", "Read-aloud is not available in this browser";
    Language => "语言", "Language";
    Privacy => "隐私说明", "Privacy notice";
    Storage => "本机存储", "Storage on this device";
    StorageUsed => "已用 {used}，可用上限 {quota}", "{used} used of {quota}";
    StoragePersisted => "数据已设为持久保存，不会被浏览器自动清除", "Data is kept: the browser will not clear it on its own";
    StorageNotPersisted => "空间不足时浏览器可能清除本机数据", "The browser may clear data here when space runs low";
    StorageUnknown => "无法读取存储信息", "Storage information is not available";
    OfflineReady => "已可离线使用", "Ready to use offline";
    BindTitle => "绑定住户", "Link your household";
    BindHint => "输入社区发给您的户码（8 位字母和数字），绑定后才能办理需要住户身份的事项。", "Enter the household code the community gave you (8 letters and digits); services that need your household use it.";
    BindCode => "户码", "Household code";
    BindButton => "绑定", "Link";
    BindWorking => "正在绑定…", "Linking…";
    BindDone => "本机已绑定住户", "This phone is linked to your household";
    BindDoneAt => "本机已绑定住户：{unit}", "This phone is linked to household {unit}";
    HouseholdExport => "下载街道保存的本户全部信息", "Download everything held about this household";
    HouseholdExportFailed => "现在下载不了，请联网后再试", "It cannot be downloaded now; try again when online";
    BindFailed => "户码不正确或已被使用，请核对或联系社区", "That code is wrong or already used; check it or ask the community";
    BindTooMany => "尝试次数过多，请十分钟后再试", "Too many attempts; try again in ten minutes";
    BindOffline => "需要联网才能绑定，请稍后再试", "Linking needs a network connection; try again later";
    OutboxWaiting => "待发送 {count} 条，联网后自动发送", "{count} waiting to send; they go out when online";
    OutboxTitle => "待发送", "Waiting to send";
    OutboxBar => "待发送 {count} 条", "{count} waiting to send";
    OutboxRejectedBar => "{count} 条被退回", "{count} refused";
    OutboxSeeAll => "查看", "See";
    OutboxQueued => "等待发送", "Waiting";
    OutboxSending => "正在发送", "Sending";
    OutboxRetry => "{time} 再试：{reason}", "Trying again at {time}: {reason}";
    OutboxRejected => "被退回：{message}", "Refused: {message}";
    OutboxReasonOffline => "网络不通", "no network";
    OutboxReasonServer => "服务器暂时无法处理（{detail}）", "the server could not take it now ({detail})";
    RefusedUnknownKind => "本街道暂不受理此类事项", "this sub-district does not take this kind of request";
    RefusedInvalid => "内容有误，服务器没有收下", "something in it is wrong, so the server did not take it";
    RefusedDeviceClock => "这部手机的时间不对，服务器没有收下。请在手机设置里把日期和时间改成自动，再重新提交", "this phone's clock is wrong, so the server did not take it. Set the date and time to automatic in the phone's settings, then submit again";
    RefusedTooLarge => "内容太大，无法发送", "it is too large to send";
    RefusedConflict => "与已收到的另一份内容冲突", "it conflicts with another submission already received";
    SaveReasonBrowser => "这个浏览器无法生成订单编号，请换用系统自带的浏览器，或拨打服务热线订餐", "this browser cannot make an order number; use the phone's own browser, or call the hotline to order";
    ClockBehind => "这部手机的时间慢了{amount}。订餐截止等已按服务器时间计算；请在手机设置里把日期和时间设为自动", "This phone's clock is {amount} behind. Cut-offs are judged by the server's time; set the date and time to automatic in the phone's settings";
    ClockAhead => "这部手机的时间快了{amount}。订餐截止等已按服务器时间计算；请在手机设置里把日期和时间设为自动", "This phone's clock is {amount} ahead. Cut-offs are judged by the server's time; set the date and time to automatic in the phone's settings";
    ClockDays => "约 {n} 天", "about {n} days";
    ClockHours => "约 {n} 小时", "about {n} hours";
    ClockMinutes => "约 {n} 分钟", "about {n} minutes";
    StorageUnavailable => "这个浏览器不让本页在手机上保存内容（可能开了无痕模式，或禁止了网站数据）。请换用普通模式或系统自带的浏览器；急事请拨打服务热线", "This browser does not let this page keep anything on the phone (private mode, or site data blocked). Use normal mode or the phone's own browser; for anything urgent, call the hotline";
    StorageFull => "手机存储空间已满，没能保存。请删除一些照片或不用的应用后再试；急事请拨打服务热线", "The phone's storage is full, so nothing was kept. Delete some photos or unused apps and try again; for anything urgent, call the hotline";
    StorageLost => "浏览器中断了本页的存储，没能保存。请刷新页面后再试", "The browser cut this page off from its storage, so nothing was kept. Reload the page and try again";
    StorageFailed => "手机没能保存，请再试一次；急事请拨打服务热线", "The phone could not keep it; try again, and for anything urgent call the hotline";
    KindOther => "其他事项", "Other";
    OutboxDismiss => "知道了", "Got it";
    OutboxSize => "约 {kb} KB（含照片）", "about {kb} KB (photos included)";
    OutboxWhatToDo => "没有订上的可以重新提交；有疑问请打服务热线 {hotline}", "Submit it again if you still need it; questions: call the hotline {hotline}";
    OutboxExport => "导出待发送内容", "Export what is waiting";
    OutboxEmpty => "没有待发送的内容", "Nothing waiting to send";
    OutboxUnreadable => "{count} 条本机记录无法读取，已保留", "{count} records on this device cannot be read; they are kept";
    OfflineNotReady => "完成首次加载后即可离线使用", "Usable offline after the first full load";
    OfflineUnsupported => "这个浏览器不支持离线使用：没有网络时打不开本页。请用系统自带的浏览器打开", "This browser cannot work offline: without a network this page will not open. Open it in the phone's own browser";
    OfflineBlocked => "这个浏览器禁止了离线功能：没有网络时打不开本页。请在浏览器设置里允许本网站保存数据，或换用系统自带的浏览器", "This browser blocks offline use: without a network this page will not open. Allow this site to keep data in the browser's settings, or use the phone's own browser";
    ConfigErrorTitle => "配置文件有误", "The configuration has errors";
    ConfigErrorHint => "请管理员按以下提示修改 config.json，然后重新加载：", "An administrator should fix config.json as listed below, then reload:";
    ConfigLoadFailed => "无法加载配置文件：{detail}", "Could not load the configuration: {detail}";
    Reload => "重新加载", "Reload";
    NotFound => "页面不存在", "Page not found";
    GoHome => "回到首页", "Go to home";
    KindNull => "空值 null", "null";
    KindBool => "布尔值", "a boolean";
    KindNumber => "数字", "a number";
    KindString => "字符串", "a string";
    KindArray => "数组", "an array";
    KindObject => "对象", "an object";
    ProblemSyntax => "不是有效的 JSON（第 {line} 行第 {column} 列）：{detail}", "is not valid JSON (line {line}, column {column}): {detail}";
    ProblemSyntaxUnplaced => "不是有效的 JSON：{detail}", "is not valid JSON: {detail}";
    ProblemUnknownField => "未知字段", "unknown field";
    ProblemUnknownFieldSuggest => "未知字段，是否应为 \"{suggestion}\"？", "unknown field; did you mean \"{suggestion}\"?";
    ProblemMissing => "缺少此字段", "is missing";
    ProblemWrongType => "应为{expected}，实际为{found}", "expected {expected}, found {found}";
    ProblemNotAColour => "\"{value}\" 不是颜色（应为 #RRGGBB 或 #RGB）", "\"{value}\" is not a colour (use #RRGGBB or #RGB)";
    ProblemLowContrast => "与 {other} 的对比度只有 {ratio}:1，文字至少需要 4.5:1", "contrast with {other} is {ratio}:1, text needs at least 4.5:1";
    ProblemUnknownScenario => "未知场景 \"{value}\"（可选：{known}）", "unknown scenario \"{value}\" (known: {known})";
    ProblemDuplicate => "\"{value}\" 重复出现", "\"{value}\" appears more than once";
    ProblemEmpty => "不能为空", "must not be empty";
    ProblemTooLong => "过长（最多 {max} 个字符）", "is too long (at most {max} characters)";
    ProblemBadDate => "\"{value}\" 不是有效日期（应为 YYYY-MM-DD）", "\"{value}\" is not a valid date (use YYYY-MM-DD)";
    ProblemBadPhone => "\"{value}\" 不是电话号码（只能包含数字、空格、+ 和 -）", "\"{value}\" is not a phone number (digits, spaces, + and - only)";
    ProblemBadLanguage => "\"{value}\" 不是支持的语言（可选：zh-CN、en）", "\"{value}\" is not a supported language (zh-CN, en)";
    ProblemBadUrl => "\"{value}\" 不是 http(s) 地址，也不是以 / 开头的路径", "\"{value}\" is neither an http(s) URL nor a path starting with /";
    ProblemBadId => "\"{value}\" 只能包含小写字母、数字和连字符", "\"{value}\" may contain only lowercase letters, digits and hyphens";
    ProblemOutOfRange => "应为 {min} 到 {max} 之间的整数", "must be a whole number from {min} to {max}";
    ProblemBadTime => "\"{value}\" 不是时间，应写成 09:30 这样", "\"{value}\" is not a time; write it like 09:30";
    ProblemBadSubsidy => "应有且只有 fixed（固定金额，单位分）或 percent（百分比 0–100）之一", "must have exactly one of fixed (an amount in fen) or percent (0–100)";
    ProblemMealsMissing => "已启用助餐场景，需要 meals 设置（餐次、截止时间、补贴档次）", "the meals scenario is enabled, so a meals section (slots, cut-offs, subsidy tiers) is needed";
    ProblemFeedbackMissing => "已启用诉求反馈场景，需要 feedback 设置（处置单位、诉求类别）", "the feedback scenario is enabled, so a feedback section (handlers, categories) is needed";
    ProblemUnknownHandler => "“{value}”不是 feedback.handlers 中的处置单位", "“{value}” is not one of feedback.handlers";
    ProblemBadAssetPath => "\"{value}\" 应为部署目录内的相对路径", "\"{value}\" must be a relative path inside the deployment folder";
}

texts! {
    /// A key into the staff table: the server's pages only, so none of it is in the
    /// residents' download.
    StaffText;
    NoticeExpiresFirst => "下架时间要晚于发布时间", "The notice must come down after it goes up";
    NtcNav => "公告", "Notices";
    NtcColTitle => "标题", "Title";
    NtcColState => "状态", "State";
    NtcColPublish => "发布时间", "Goes up";
    NtcColExpires => "下架时间", "Comes down";
    NtcScheduled => "待发布", "Scheduled";
    NtcLive => "已发布", "Live";
    NtcExpired => "已过期", "Expired";
    NtcWithdrawn => "已撤下", "Withdrawn";
    NtcPinned => "置顶", "Pinned";
    NtcWithdraw => "撤下", "Withdraw";
    NtcNew => "发布公告", "Publish a notice";
    NtcNone => "还没有公告", "No notices yet";
    NtcTitleZh => "标题（中文）", "Title (Chinese)";
    NtcTitleEn => "标题（英文，可不填）", "Title (English, optional)";
    NtcBodyZh => "正文（中文，空一行分段）", "Text (Chinese; a blank line starts a paragraph)";
    NtcBodyEn => "正文（英文，可不填）", "Text (English, optional)";
    NtcPublishAt => "发布时间（不填则立即发布）", "Goes up at (empty: now)";
    NtcExpiresAt => "下架时间（不填则一直显示）", "Comes down at (empty: stays up)";
    NtcRequired => "请填写{field}", "{field} is required";
    NtcTooLong => "{field}太长，最多 {max} 字", "{field} is too long: at most {max} characters";
    NtcBadTime => "{field}的格式不对，请写成 2026-12-02 08:00", "Write {field} as 2026-12-02 08:00";
    NtcAttachmentZh => "附件内容（中文，可不填：如停水范围、时间表）", "Attachment text (Chinese, optional: a list of buildings, a timetable)";
    NtcAttachmentEn => "附件内容（英文，可不填）", "Attachment text (English, optional)";
    NtcImage => "图片（可不填）", "Photo (optional)";
    NtcImageHint => "JPEG、PNG 或 WebP，不超过 8 MB；会缩小到 1280 像素并去掉拍摄地点等信息。", "JPEG, PNG or WebP, up to 8 MB; it is made smaller (1280 pixels) and loses the place and camera it carried.";
    NtcEdit => "修改", "Edit";
    NtcEditTitle => "修改公告", "Edit the notice";
    NtcSaveEdit => "保存修改", "Save changes";
    NtcCancelEdit => "不改了", "Cancel";
    NtcRemoveImage => "去掉这张图片", "Remove this photo";
    NtcHasAttachment => "有附件", "Has an attachment";
    NtcPublishedOk => "公告已保存：到了发布时间，居民的应用打开或切换页面时就会看到", "Notice saved: from its time, residents' apps show it when opened or when they change page";
    NtcImageKept => "已选的图片会保留，不用再选", "The photo chosen is kept: no need to choose it again";
    NtcPublishPast => "发布时间不能早于一天前", "A notice cannot go up more than a day ago";
    SetNav => "品牌与设置", "Brand and settings";
    SetInForce => "居民现在使用第 {version} 版（{at} 发布）", "Residents have version {version} (published {at})";
    SetNothingPublished => "还没有发布过设置：保存并发布后，居民的应用才会使用它", "No settings published yet: residents' apps use them once saved and published";
    SetEditing => "以下内容来自第 {version} 版", "The form below shows version {version}";
    SetBrand => "名称与品牌", "Name and brand";
    SetNameZh => "街道名称（中文）", "Sub-district name (Chinese)";
    SetNameEn => "街道名称（英文，可不填）", "Sub-district name (English, optional)";
    SetPrimary => "主色", "Brand colour";
    SetOnPrimary => "主色上的文字颜色", "Text colour on the brand colour";
    SetContrastOk => "对比度 {ratio}:1，合格（至少 4.5:1）", "Contrast {ratio}:1, readable (at least 4.5:1)";
    SetContrastLow => "对比度 {ratio}:1，太低：至少要 4.5:1，老人才看得清", "Contrast {ratio}:1 is too low: at least 4.5:1 is needed to read it";
    SetHotline => "服务热线", "Service hotline";
    SetPrivacyZh => "隐私说明（中文）", "Privacy notice (Chinese)";
    SetPrivacyEn => "隐私说明（英文，可不填）", "Privacy notice (English, optional)";
    SetLanguage => "居民第一次打开时的语言", "Language before a resident picks one";
    SetScenarios => "开通的服务和顺序", "Services offered, and their order";
    SetScenarioOn => "开通", "Offer";
    SetScenarioMissing => "这个版本的应用还没有这项服务，居民看不到，暂时不能开通", "This version of the app does not have this service yet: residents would not see it, so it cannot be turned on";
    SetScenarioUnavailable => "“{name}”在这个版本的应用里还没有，不能开通", "“{name}” is not in this version of the app yet and cannot be turned on";
    SetConfirmPublish => "发布第 {version} 版？所有居民的应用都会提示更新到这一版。", "Publish version {version}? Every resident's app will offer to update to it.";
    SetConfirmSavePublish => "保存并发布？所有居民的应用都会提示更新。", "Save and publish? Every resident's app will offer the update.";
    SetPublishHint => "“保存为新版本”只保存，可以先预览；“发布”后所有居民的应用会提示“立即更新”。", "“Save as a new version” only saves, to preview first; once published, every resident's app offers “update now”.";
    SetLowContrast => "和“主色上的文字颜色”的对比度只有 {ratio}:1，至少要 4.5:1：把主色调深，或把文字颜色改成深色", "The contrast with the text colour on it is only {ratio}:1; at least 4.5:1 is needed: choose a darker brand colour, or a dark text colour";
    SetBadAmount => "“{value}”不是金额或比例：金额写成 2 或 2.50（元），比例写成 50", "“{value}” is not an amount or a share: write an amount as 2 or 2.50 (yuan), a share as 50";
    SetOrder => "顺序（1 在最前）", "Order (1 comes first)";
    SetMeals => "老年助餐设置", "Meals settings";
    SetDaysAhead => "可提前几天订餐（0–14）", "Days ahead residents may order (0–14)";
    SetSlots => "餐次（编号和名称都清空即删除这一行）", "Meals of the day (empty the id and the name to remove a row)";
    SetTiers => "补贴档次（编号和名称都清空即删除这一行）", "Subsidy tiers (empty the id and the name to remove a row)";
    SetRowId => "编号（可不填，会自动生成；只用小写字母、数字、-）", "Id (optional, made for you; a-z, 0-9, -)";
    SetRowZh => "名称", "Name";
    SetRowEn => "英文名", "English name";
    SetCutoff => "截止时间", "Cut-off";
    SetDaysBefore => "提前几天截止", "Days before";
    SetSubsidyKind => "补贴方式", "Subsidy";
    SetFixed => "每餐固定金额（元）", "Fixed per meal (yuan)";
    SetPercent => "按比例（%）", "Share of the price (%)";
    SetAmount => "金额或比例", "Amount or share";
    SetNote => "这次改了什么（必填，会记入历史）", "What changed (required; kept in the history)";
    SetSave => "保存为新版本", "Save as a new version";
    SetSavePublish => "保存并发布", "Save and publish";
    SetFix => "有 {count} 处需要修改，什么都没有保存", "{count} things need fixing; nothing was saved";
    SetSaved => "已保存为第 {version} 版，还没有发布", "Saved as version {version}; not published yet";
    SetPublished => "第 {version} 版已发布：居民的应用会提示“立即更新”", "Version {version} is published: residents' apps offer “update now”";
    SetBadOrder => "顺序要写数字", "The order must be a number";
    SetNotWhole => "要写整数", "Must be a whole number";
    SetVersions => "历史版本", "Versions";
    SetColVersion => "版本", "Version";
    SetColBy => "保存人", "Saved by";
    SetColAt => "保存时间", "Saved";
    SetColNote => "说明", "Note";
    SetCurrent => "使用中", "In use";
    SetPublish => "发布", "Publish";
    SetRollback => "回滚到这一版", "Roll back to this";
    SetPreview => "预览", "Preview";
    SetEdit => "以这一版为底修改", "Edit from this version";
    SetPreviewTitle => "预览第 {version} 版（412×823）", "Preview of version {version} (412×823)";
    SetPreviewNormal => "普通版", "Standard";
    SetPreviewElder => "长辈版", "Elder mode";
    SetPreviewNote => "预览只显示外观：这里点的内容不会提交。", "The preview shows the look only: nothing done in it is submitted.";
    SetSlotInUse => "餐次“{id}”还有没送的订单，不能删除：等这些订单送完或取消后再删", "The meal “{id}” still has orders to serve and cannot be removed: remove it once they are served or cancelled";
    SetTierInUse => "补贴档次“{id}”还有登记的老人，不能删除：先在助餐老人登记里把他们改到别的档次", "The tier “{id}” still has elders registered in it and cannot be removed: move them to another tier first";
    SetStale => "你打开这一页后，{actor} 保存了第 {version} 版：请重新打开这一页再改，以免覆盖他的修改", "{actor} saved version {version} after you opened this page: open the page again before changing it, so their changes are not lost";
    SetLogo => "标志", "Logo";
    SetLogoHint => "不换就不用选。PNG、JPEG、WebP 或 SVG，不超过 1 MB，边长 64–4096 像素；会重新绘制成图片，应用图标也由它生成；SVG 里的文字要先转成路径。和下面的修改一起保存。", "Leave empty to keep the logo. PNG, JPEG, WebP or SVG, up to 1 MB, 64–4096 pixels a side; it is drawn again as a picture and the app's icons are made from it; text in an SVG must be turned into outlines first. Saved with the changes below.";
    LogoSvgText => "这个 SVG 里有文字，文字画不出来：请在绘图软件里把文字转成路径（轮廓）后再上传，或上传 PNG", "This SVG has text in it, which cannot be drawn: turn the text into outlines (paths) in your drawing program, or upload a PNG";
    LogoEmpty => "请先选择图片文件", "Choose a picture file first";
    LogoTooBig => "文件太大：最大 {max} KB", "The file is too large: at most {max} KB";
    PictureKind => "只能上传这几种图片：{kinds}", "Only these kinds of picture can be used: {kinds}";
    LogoDimensions => "图片是 {width}×{height} 像素：每边要在 {min} 到 {max} 像素之间", "The picture is {width}×{height} pixels: each side must be {min} to {max} pixels";
    LogoUnreadable => "读不出这张图片：文件可能已损坏，请换一个文件", "This picture cannot be read: the file may be damaged; try another";
    SetLoadFailed => "这一版不能发布，居民仍使用原来的版本：{problem}", "This version cannot be published; residents keep the one they have: {problem}";
    KitNav => "助餐", "Meals";
    KitDay => "{date} 订餐汇总", "Orders for {date}";
    KitPrevDay => "前一天", "Previous day";
    KitNextDay => "后一天", "Next day";
    KitDate => "日期", "Date";
    KitGo => "查看", "Show";
    KitEditMenu => "编辑菜单", "Edit menu";
    KitDelivery => "送餐单", "Delivery list";
    KitCsv => "下载 CSV", "Download CSV";
    KitNoMenu => "还没有菜单", "No menu yet";
    KitColDish => "菜品", "Dish";
    KitColPortions => "已订份数", "Portions ordered";
    KitColLimit => "每日限量", "Daily limit";
    KitOrders => "共 {count} 份订单", "{count} orders";
    KitMenuTitle => "{date} {slot}菜单", "Menu for {slot}, {date}";
    KitColName => "菜名", "Name";
    KitColPrice => "价格（元）", "Price (yuan)";
    KitColTags => "标签", "Tags";
    KitColAllergens => "过敏原（用顿号或逗号分隔）", "Allergens (comma-separated)";
    KitColLimitShort => "限量（空为不限）", "Limit (empty: none)";
    KitSave => "发布菜单", "Publish menu";
    KitCopyLastWeek => "复制上周同日菜单", "Copy last week's menu";
    KitSaved => "菜单已发布", "Menu published";
    KitRowError => "第 {row} 行：{problem}", "Row {row}: {problem}";
    KitBadPrice => "价格“{value}”不是金额", "price “{value}” is not an amount";
    KitBadLimit => "限量“{value}”不是整数", "limit “{value}” is not a whole number";
    KitNoDishes => "菜单至少要有一道菜", "A menu needs at least one dish";
    KitHasOrders => "“{dish}”已有订单，不能删除", "“{dish}” has orders and cannot be removed";
    KitDeliveryTitle => "{date} {slot}送餐单", "Delivery list: {slot}, {date}";
    KitColElder => "老人", "Elder";
    KitColAddress => "地址", "Address";
    KitColOrder => "菜品", "Dishes";
    KitColWay => "方式", "Way";
    KitColNote => "备注", "Note";
    KitColFlags => "饮食提醒", "Dietary flags";
    KitColPay => "自付（元）", "Pays (yuan)";
    KitColStatus => "状态", "Status";
    KitColPlacedBy => "下单住户", "Ordered by";
    KitMarkDelivered => "标记已送达", "Mark delivered";
    KitRoute => "{building} · 路线：{route}", "{building} · route: {route}";
    KitNoOrders => "这一餐还没有订单", "No orders for this meal yet";
    KitEldersTitle => "助餐老人登记", "Elders registered for meals";
    KitColTier => "补贴档次", "Subsidy tier";
    KitColConsent => "饮食信息同意", "Dietary consent";
    KitColProxies => "代订住户", "Ordering helpers";
    KitColNeeds => "饮食要求", "Dietary needs";
    KitColAllergies => "过敏", "Allergies";
    KitRegister => "登记老人", "Register an elder";
    KitFieldName => "姓名", "Name";
    KitFieldUnit => "住户", "Household";
    KitFieldAddress => "地址（空则用房号）", "Address (empty: the unit)";
    KitFieldRoute => "送餐路线", "Delivery route";
    KitConsentBox => "老人已签署饮食健康信息单独同意书（不勾选则不保存饮食要求和过敏）", "The elder signed the separate consent for dietary and health data (unticked: needs and allergies are not kept)";
    KitLinkProxy => "添加代订住户", "Add an ordering helper";
    KitFieldElderUnit => "老人的住户", "Elder's household";
    KitFieldProxyUnit => "代订人的住户", "Helper's household";
    KitFormError => "请检查：{problem}", "Please check: {problem}";
    StaffTitle => "街道工作台", "Staff console";
    StaffSignIn => "工作人员登录", "Staff sign-in";
    StaffUsername => "用户名", "Username";
    StaffPassword => "密码", "Password";
    StaffSignInButton => "登录", "Sign in";
    StaffSignInFailed => "用户名或密码不正确", "Wrong username or password";
    StaffRateLimited => "尝试次数过多，请 {minutes} 分钟后再试", "Too many attempts; try again in {minutes} minutes";
    StaffSignOut => "退出登录", "Sign out";
    StaffSignedInAs => "已登录：{name}（{role}）", "Signed in: {name} ({role})";
    StaffForbidden => "您的角色无权使用此页面", "Your role cannot use this page";
    StaffSubmissions => "最近收到的提交", "Recent submissions";
    StaffNoSubmissions => "还没有收到提交", "No submissions yet";
    StaffUnits => "住户与户码", "Households and codes";
    StaffIssueCode => "生成户码", "Issue a code";
    StaffPrintCodes => "为全部住户重新生成并打印户码", "Issue and print new codes for every household";
    StaffCodeSheetTitle => "户码通知单", "Household code notice";
    StaffCodeSheetHint => "用手机打开 {url}（或扫下面的二维码），在“我的 → 绑定住户”输入上面的户码。户码只能使用一次，请妥善保管。", "Open {url} on your phone (or scan the QR code below) and type the code above in “Me → Link your household”. It works once; keep it safe.";
    StaffCodeQrAlt => "本街道便民服务的网址二维码", "QR code of the service's address";
    StaffPrint => "打印", "Print";
    StaffCodeValidUntil => "请在 {date} 之前使用", "Use it before {date}";
    StaffColUnit => "房号", "Unit";
    StaffColBuilding => "楼栋", "Building";
    StaffColDevices => "已绑定设备", "Devices";
    StaffColCodeOut => "户码待使用", "Code waiting";
    StaffColCode => "户码", "Code";
    StaffColKind => "类型", "Kind";
    StaffColReceived => "收到时间", "Received";
    StaffColContent => "内容", "Content";
    StaffYes => "是", "Yes";
    StaffNo => "否", "No";
    StaffNav => "工作台导航", "Console navigation";
    StaffBackHome => "返回工作台首页", "Back to the console";
    StaffForbiddenTitle => "无权访问", "Not allowed";
    StaffCrossSite => "这个请求不是从本工作台的页面发出的，已拒绝。请回到工作台重新操作。", "This request did not come from a page of this console and was refused. Go back to the console and try again.";
    Cancel => "取消", "Cancel";
    FieldProblem => "{field}有误：{problem}", "{field} is wrong: {problem}";
    RoleAdmin => "系统管理员", "Administrator";
    RoleStaff => "街道工作人员", "Staff";
    RoleKitchen => "助餐厨房", "Kitchen";
    RoleOrganisation => "社会组织", "Social organisation";
    RoleHandler => "承办部门", "Handler";
    RoleAuditor => "审计员", "Auditor";
    ApiUnauthorized => "请先登录或绑定本机", "Sign in or link this device first";
    ApiSecondFactor => "此账号还需要动态验证码（totp）；尚未绑定的请先在工作台登录绑定", "This account also needs its one-time code (totp); one not yet enrolled signs in to the console first";
    ApiForbidden => "您的角色无权这样做", "Your role does not allow this";
    ApiMalformed => "请求内容不是有效的 JSON：{detail}", "The body is not JSON: {detail}";
    ApiInvalid => "内容有误（{field}）：{message}", "Something is wrong ({field}): {message}";
    ApiInvalidBody => "内容有误：{message}", "Something is wrong: {message}";
    ApiUnknownKind => "本街道暂不受理“{kind}”类事项", "No service here accepts “{kind}”";
    ApiConflict => "编号 {id} 已用于另一份内容", "{id} was already used for a different submission";
    ApiRateLimited => "尝试次数过多，请 {minutes} 分钟后再试", "Too many attempts; try again in {minutes} minutes";
    ApiTooLarge => "内容太大", "The body is too large";
    ApiInternal => "服务器出错，请稍后再试", "The server failed; try again later";
    ApiUnavailable => "服务器暂时连不上数据库，请稍后再试；已填写的内容不会丢失", "The server cannot reach its database just now; try again shortly, nothing you entered is lost";
    NfRecord => "找不到这条记录", "No such record";
    NfUnit => "找不到这户", "No such household";
    NfNotice => "找不到这条公告", "No such notice";
    NfConfig => "找不到这个设置版本", "No such settings version";
    NfCode => "户码不正确或已被使用", "The household code is wrong or already used";
    NfHelper => "找不到这位代订人", "No such helper";
    NfMeals => "本街道没有开通老年助餐", "This sub-district does not offer meals";
    NfVoting => "本街道没有开通业主议事表决", "This sub-district does not offer owners' voting";
    NfVote => "没有这项表决", "There is no such vote";
    VoteNav => "业主表决", "Owners' votes";
    NfFeedback => "本街道没有开通诉求反馈", "This sub-district does not take residents' reports";
    NfCase => "没有这条诉求", "There is no such report";
    FeedbackNav => "诉求办理", "Residents' reports";
    FeedbackSituationNav => "诉求态势", "Reports at a glance";
    NfForms => "本街道没有开通表单问卷", "This sub-district does not offer forms";
    NfForm => "没有这份表单", "There is no such form";
    FormsNav => "表单问卷", "Forms";
    NfSlot => "没有这个餐次", "No such meal";
    PwTooShort => "密码至少要 {min} 个字符", "The password needs at least {min} characters";
    PwTooLong => "密码最多 {max} 个字符", "The password may have at most {max} characters";
    PwCommon => "这是常见密码，很容易被猜中，请换一个", "This is a common password, easily guessed; choose another";
    PwSameAsName => "密码不能和用户名相同", "The password may not be the username";
    TotpTitle => "动态验证码", "One-time code";
    TotpEnrolTitle => "绑定动态验证码", "Set up your one-time code";
    TotpEnrolHint => "您的角色能看到居民的个人信息，登录时除了密码还要动态验证码。请用手机上的身份验证器应用（如 Google Authenticator、Microsoft Authenticator 或微信小程序“腾讯身份验证器”）扫描下面的二维码，再输入它显示的 6 位数字。", "Your role sees residents' personal data, so signing in needs a one-time code as well as the password. Scan the QR code below with an authenticator app on your phone, then type the 6 digits it shows.";
    TotpQrAlt => "绑定动态验证码的二维码", "QR code to set up the one-time code";
    TotpSecretText => "无法扫码时，在应用中手动输入这个密钥：", "If you cannot scan, type this key into the app:";
    TotpCodeHint => "请输入手机身份验证器应用显示的 6 位数字。", "Type the 6 digits your authenticator app shows.";
    TotpCode => "6 位验证码", "6-digit code";
    TotpEnrolButton => "完成绑定并登录", "Finish and sign in";
    TotpWrong => "验证码不正确或已使用过，请等下一个验证码再试", "Wrong or already used code; wait for the next one and try again";
    TotpEnrolledElsewhere => "这个账号刚在别处设置好了验证器，请重新登录，输入那个验证器上的验证码", "This account's authenticator was just set up elsewhere; sign in again and enter the code from that authenticator";
    AccOwnTitle => "我的账号", "My account";
    AccTitle => "账号管理", "Accounts";
    AccRole => "角色", "Role";
    AccFactor => "动态验证码", "One-time code";
    AccFactorOn => "已绑定", "Enrolled";
    AccFactorOff => "未绑定（下次登录时绑定）", "Not enrolled (at the next sign-in)";
    AccFactorNotNeeded => "此角色不需要", "Not needed for this role";
    AccPasswordChanged => "密码更新于", "Password set on";
    AccChangePassword => "修改密码", "Change password";
    AccCurrentPassword => "当前密码", "Current password";
    AccNewPassword => "新密码", "New password";
    AccRepeatPassword => "再输一次新密码", "New password again";
    AccPasswordRule => "至少 8 个字符（管理员 12 个），不能是常见密码；可以用一句话。", "At least 8 characters (12 for an administrator), not a common password; a sentence works well.";
    AccCurrentWrong => "当前密码不正确", "The current password is wrong";
    AccRepeatDiffers => "两次输入的新密码不一样", "The two new passwords differ";
    AccPasswordSaved => "密码已修改，其他设备上的登录已退出", "Password changed; sign-ins on other devices have ended";
    AccPasswordSet => "已为 {name} 设置新密码，其登录已全部退出", "New password set for {name}; their sign-ins have ended";
    AccAdd => "添加账号", "Add an account";
    AccAdded => "已添加账号 {name}", "Account {name} added";
    AccBadRole => "请选择角色", "Choose a role";
    AccBadUsername => "用户名为 1 到 64 个字母、数字或 . _ -", "A username is 1 to 64 letters, digits, '.', '_' or '-'";
    AccNameTaken => "这个用户名已有人使用", "This username is taken";
    AccDisabled => "已停用", "Disabled";
    AccDisable => "停用", "Disable";
    AccEnable => "启用", "Enable";
    AccResetFactor => "重置动态验证码", "Reset one-time code";
    AccSetPassword => "设置新密码", "Set a new password";
    AccNotYourself => "不能停用自己的账号", "You cannot disable your own account";
    HhAdd => "添加住户", "Add a household";
    HhLabel => "房号（完整写法）", "Unit (in full)";
    HhExists => "已有房号为“{label}”的住户", "A household “{label}” exists";
    HhAllCodesWarning => "将为全部 {count} 户重新生成户码。其中 {waiting} 户已有尚未使用的户码，旧户码将作废；已绑定的手机不受影响。", "New codes will be issued for all {count} households. {waiting} of them have a code not yet used, which stops working; phones already linked are not affected.";
    HhAllCodesConfirm => "确认重新生成并打印", "Issue and print them";
    HhDevices => "已绑定的手机", "Linked phones";
    HhNoDevices => "还没有手机绑定这一户", "No phone is linked to this household";
    HhDevice => "设备编号", "Device";
    HhLinkedAt => "绑定时间", "Linked on";
    HhRevoke => "解除绑定", "Unlink";
    HhRevoked => "已解除绑定，这部手机需要新户码才能再次绑定", "Unlinked; this phone needs a new code to link again";
    HhHelpersWhere => "代订家属（助餐）在“助餐老人登记”中查看和解除。", "Ordering helpers (meals) are listed and removed under “Elders registered for meals”.";
    HhErase => "删除这一户的个人信息", "Erase this household's personal data";
    HhEraseHint => "删除后：手机解除绑定，提交内容、老人姓名地址、饮食信息和代订关系全部清除，只保留不含个人信息的统计。此操作会记入审计日志（只记录删除，不记录内容），无法撤销。", "After this: phones are unlinked; submissions, elders' names and addresses, dietary data and helper links are cleared, leaving only counts without personal data. It is recorded in the audit log (the erasure, not the data) and cannot be undone.";
    HhEraseType => "请输入房号“{label}”确认：", "Type the unit “{label}” to confirm:";
    HhEraseReason => "原因", "Reason";
    HhReasonRequest => "本人申请删除", "The household asked for it";
    HhReasonMoved => "已搬离", "Moved away";
    HhReasonOther => "其他", "Other";
    HhEraseNotConfirmed => "房号不对，没有删除", "The unit did not match; nothing was erased";
    HhErased => "这一户的个人信息已删除", "This household's personal data is erased";
    ExpTitle => "导出", "Exports";
    ExpNone => "您的角色没有可导出的数据", "Your role has nothing to export";
    AudTitle => "审计日志", "Audit log";
    AudHead => "日志头（用于公示）", "Log head (for publishing)";
    AudHeadAt => "打印时间：{time}", "Printed at {time}";
    AudHeadHint => "请定期打印或公示这一行。日后若有人删除或改写之前的记录，与公示的日志头比对即可发现（linli-server audit verify --head）。", "Print or publish this line regularly. If earlier entries are later deleted or rewritten, checking against the published head shows it (linli-server audit verify --head).";
    AudEmpty => "日志还没有记录", "The log has no entries yet";
    AudVerify => "校验整条日志链", "Verify the whole chain";
    AudIntact => "日志完整：共 {count} 条", "The log is intact: {count} entries";
    AudBroken => "日志被篡改：第 {seq} 条，{reason}", "The log was tampered with at entry {seq}: {reason}";
    AudRecent => "最近的记录", "Latest entries";
    AudWhen => "时间", "When";
    AudWho => "操作人", "Who";
    AudWhat => "操作", "What";
    AudSubject => "对象", "On what";
    KitAllMeals => "全天", "all meals";
    KitDishId => "编号", "id";
    KitEditDiet => "修改饮食信息", "Edit dietary data";
    KitConsentNote => "依据（如：老人签字同意书、本人电话确认）", "On whose word (the signed form, a call with the elder)";
    KitConsentNoteMissing => "请写明依据：老人本人如何同意或撤回", "Write on whose word: how the elder gave or withdrew consent";
    KitDietSaved => "饮食信息已更新", "Dietary data updated";
    KitRemoveProxy => "解除", "Remove";
    EvalNav => "公众评价", "Public evaluation";
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every key of one table, named, as linli ships it.
    fn table<T: Table>() -> Vec<(String, &'static str, &'static str)> {
        T::all()
            .iter()
            .map(|k| {
                let name = format!("{}::{k:?}", T::NAME);
                (name, k.builtin(Lang::ZhCn), k.builtin(Lang::En))
            })
            .collect()
    }

    /// Every key of every table: the shell's, the console's and each scenario's get
    /// the same checks.
    fn every() -> Vec<(String, &'static str, &'static str)> {
        let mut all = table::<Text>();
        all.extend(table::<StaffText>());
        all.extend(table::<crate::meals::MealText>());
        all.extend(table::<crate::meals::MealServerText>());
        all.extend(table::<crate::voting::VoteText>());
        all.extend(table::<crate::voting::VoteServerText>());
        all.extend(table::<crate::feedback::FeedbackText>());
        all.extend(table::<crate::feedback::FeedbackStaffText>());
        all.extend(table::<crate::evaluation::EvalText>());
        all.extend(table::<crate::evaluation::EvalStaffText>());
        all.extend(table::<crate::forms::FormText>());
        all.extend(table::<crate::forms::FormStaffText>());
        all.extend(table::<crate::forms::FormCheckText>());
        all.extend(table::<crate::forms::FormBuilderText>());
        all
    }

    #[test]
    fn an_apps_wording_replaces_a_text_only_with_the_same_placeholders() {
        use crate::meals::MealText;
        assert!(Lang::ZhCn.t(MealText::MealConfirm).contains("{pay}"));
        assert_eq!(
            set_wording(MealText::MealConfirm, Lang::ZhCn, "就订这些（{pay} 元）"),
            Ok(())
        );
        assert_eq!(
            Lang::ZhCn.fill(MealText::MealConfirm, &[("pay", "3.00")]),
            "就订这些（3.00 元）"
        );
        // English is untouched, and a wording that drops a placeholder is refused.
        assert!(Lang::En.t(MealText::MealConfirm).starts_with("Confirm"));
        assert_eq!(
            set_wording(MealText::MealConfirm, Lang::En, "Order"),
            Err(WordingError {
                expected: vec!["pay".into()]
            })
        );
        assert!(Lang::En.t(MealText::MealConfirm).starts_with("Confirm"));
    }

    #[test]
    fn every_text_is_present_in_both_languages() {
        for (key, zh, en) in every() {
            for s in [zh, en] {
                assert!(!s.trim().is_empty(), "{key} is empty");
                assert_eq!(s, s.trim(), "{key} has stray spaces");
            }
        }
    }

    #[test]
    fn chinese_texts_are_chinese() {
        for (key, zh, _) in every() {
            assert!(
                zh.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
                "{key} has no Chinese in zh-CN: {zh}"
            );
        }
    }

    #[test]
    fn english_texts_are_not_left_in_chinese() {
        for (key, _, en) in every() {
            assert!(
                !en.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
                "{key} has Chinese in en: {en}"
            );
        }
    }

    #[test]
    fn both_languages_use_the_same_placeholders() {
        for (key, zh, en) in every() {
            assert_eq!(placeholders(zh), placeholders(en), "{key}");
        }
    }

    #[test]
    fn fill_replaces_known_and_keeps_unknown_placeholders() {
        assert_eq!(
            fill("拨打 {number}，{x}", &[("number", "12345")]),
            "拨打 12345，{x}"
        );
        assert_eq!(fill("open { brace", &[]), "open { brace");
    }

    #[test]
    fn lang_codes_round_trip() {
        for lang in Lang::ALL {
            assert_eq!(Lang::from_code(lang.code()), Some(lang));
        }
        assert_eq!(Lang::from_code("zh"), None);
    }
}
