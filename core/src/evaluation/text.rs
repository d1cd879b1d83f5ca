//! Public evaluation's texts, zh-CN first and English: the rating prompt, the
//! published figures, the counting switch in 我的, and the staff dashboard.

use crate::i18n::{Lang, Table};

crate::i18n::texts! {
    /// A key into the residents' evaluation table.
    EvalText;
    Ask => "您对“{service}”这项服务满意吗？", "How satisfied are you with the “{service}” service?";
    AskHint => "点一下就能评价，帮助街道改进服务", "One tap: it helps the sub-district improve";
    Score1 => "非常不满意", "Very dissatisfied";
    Score2 => "不满意", "Dissatisfied";
    Score3 => "一般", "Neutral";
    Score4 => "满意", "Satisfied";
    Score5 => "非常满意", "Very satisfied";
    Comment => "还想说的话（选填，请不要写姓名、电话）", "Anything to add (optional; no names or phone numbers, please)";
    Contact => "可以就这条意见联系我", "You may contact me about this";
    ContactHint => "不勾选时，服务器只核对是本街道住户的手机发来的，不保存您家的任何信息；勾选后，工作人员能看到是哪一户留的意见", "Unticked, the server only checks that a resident's phone sent it and keeps nothing about your household; ticked, staff see which household left the comment";
    Send => "提交评价", "Send the rating";
    NotNow => "以后再说", "Not now";
    NeedScore => "请先点选一个满意程度", "First tap how satisfied you are";
    Saving => "正在保存到手机上…", "Keeping it on this phone…";
    Saved => "谢谢！评价已保存在手机上，联网后发送", "Thank you: the rating is kept on this phone and goes out when there is a network";
    SaveFailed => "评价没能保存：{reason}", "The rating could not be kept: {reason}";
    Sent => "评价已发送，谢谢您！", "The rating has been sent. Thank you!";
    RateThis => "我要评价", "Rate this service";
    KindUse => "匿名使用统计", "Anonymous use counts";
    KindRating => "服务评价", "Rating of a service";
    PageTitle => "公众评价", "Public evaluation";
    PageIntro => "近 {days} 天（{from} 至 {to}），全街道住户匿名使用和评价各项服务的情况，每天更新一次。", "The last {days} days ({from} to {to}): how residents across the sub-district use and rate each service, counted anonymously and updated once a day.";
    Visits => "打开 {n} 次", "Opened {n} times";
    Completed => "办成 {n} 件", "{n} things done";
    ReadThrough => "读完 {n} 次", "Read to the end {n} times";
    Ordered => "订餐 {n} 次", "{n} meal orders";
    Voted => "投票 {n} 次", "{n} ballots cast";
    Reported => "反映问题 {n} 件", "{n} problems reported";
    Approval => "满意率 {share}%（打 4 分或 5 分的比例）", "{share}% satisfied (rated 4 or 5)";
    ApprovalDetail => "{count} 条评价，平均 {mean} 分（满分 5 分）", "{count} ratings, {mean} of 5 on average";
    TooFew => "评价不足 {min} 条，暂不显示", "Fewer than {min} ratings: too few to show";
    Changes => "你说我改", "You said, we changed";
    NoChanges => "暂无", "Nothing yet";
    Loading => "正在读取…", "Reading…";
    Unavailable => "暂时连不上服务器，请稍后再看", "The server cannot be reached now: look again later";
    Offline => "没有网络，显示的是上次看到的内容", "Offline: showing what you saw last";
    Link => "看看大家的评价", "See how residents rate each service";
    Counting => "匿名统计使用情况", "Count my use anonymously";
    CountingHint => "只记每天各项服务被打开、开始办和办成的次数，每天汇总发送一次；服务器只核对是本街道住户的手机发来的，只保存全街道每天的合计，不保存您家、手机或个人的任何信息。关闭后不再记录，未发送的也一并删除。", "Only how many times a day each service is opened, begun and finished is counted, and sent once a day; the server only checks that a resident's phone sent it and keeps only the sub-district's daily totals, nothing about your household, phone or you. Switched off, nothing is counted and what was not sent is deleted.";
    CountedToday => "本机今天记了：打开 {visits} 次，开始办 {started} 次，办成 {completed} 次（明天汇总发送；手机绑定户码后才发送）", "Counted on this phone today: opened {visits}, begun {started}, done {completed} (sent tomorrow with the day's total, once this phone is linked to a household)";
    CountingOff => "已关闭，不记录也不发送", "Off: nothing is counted or sent";
    RefusedDay => "日期不对：只计入最近 30 天内的记录", "Wrong day: only the last 30 days are counted";
    RefusedAgain => "这段时间已经计入过一次，这次没有重复计入", "Already counted once for this period: not counted again";
}

crate::i18n::texts! {
    /// A key into the console's evaluation table.
    EvalStaffText;
    Title => "公众评价：使用与满意度", "Public evaluation: use and approval";
    Period => "时间范围", "Period";
    From => "从", "From";
    To => "到", "To";
    Show => "查看", "Show";
    Compare => "各项服务对比", "Services compared";
    Service => "服务", "Service";
    Visits => "打开次数", "Opened";
    Started => "开始办", "Begun";
    Completed => "办成", "Done";
    CompletionRate => "办成率", "Completion";
    Ratings => "评价数", "Ratings";
    Mean => "平均分", "Mean score";
    High => "满意率（4–5分）", "Satisfied (4–5)";
    TooFew => "不足 {min} 条", "under {min}";
    UseOverTime => "{service}：每天的使用", "{service}: use per day";
    TodayLater => "手机在一天结束后才发送当天的次数，所以今天的数字明天才完整", "Phones send a day's counts once it is over: today's figures are complete tomorrow";
    Distribution => "{service}：评分分布", "{service}: scores";
    ApprovalOverTime => "满意率（按周）", "Satisfied share by week";
    Day => "日期", "Day";
    Week => "周（起始日）", "Week (from)";
    Score => "评分", "Score";
    Count => "条数", "Count";
    TableView => "数据表", "As a table";
    CsvUse => "下载每天使用次数（CSV）", "Download use per day (CSV)";
    CsvRatings => "下载评分统计（CSV）", "Download the scores (CSV)";
    PeriodOrder => "开始日期不能晚于结束日期", "The start cannot be after the end";
    PeriodLong => "最多查看 {days} 天", "At most {days} days";
    PeriodFormat => "“{text}”不是日期（应为 YYYY-MM-DD）", "“{text}” is not a date (YYYY-MM-DD)";
    Comments => "{service}：评价留言", "{service}: comments";
    NoComments => "这段时间没有留言", "No comments in this period";
    Open => "待处理", "To handle";
    Handled => "已处理", "Handled";
    MarkHandled => "标记为已处理", "Mark as handled";
    Reopen => "改回待处理", "Mark as not handled";
    ContactOk => "可联系：{unit}", "May be contacted: {unit}";
    Anonymous => "匿名", "Anonymous";
    FromLoop => "诉求回访评价", "Rating in the feedback loop";
    Changes => "你说我改", "You said, we changed";
    ChangeAdd => "发布一条“你说我改”", "Publish a “you said, we changed” note";
    Withdraw => "撤回", "Withdraw";
    LastDays => "近 {days} 天", "Last {days} days";
    ChangeHint => "写清楚根据居民意见改了什么，居民在“公众评价”页能看到", "Say what changed because of residents' comments: residents see it on the public evaluation page";
    ChangeEmpty => "请写下改了什么", "Write what changed";
    ChangeTooLong => "最多 {max} 个字", "At most {max} characters";
    Published => "居民看到的页面", "What residents see";
    BadPeriod => "时间范围不对：{reason}", "The period is wrong: {reason}";
    Seeded => "演示数据", "Demo data";
}
