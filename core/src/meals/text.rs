//! The meals scenario's texts, zh-CN first and English: its own table, checked like
//! every other (`crate::i18n` tests), so the shell's table carries none of them and
//! a build without meals carries none of its words.

use crate::i18n::{Lang, Table};

crate::i18n::texts! {
    /// A key into the meals table (what the ordering view, the meals page and the
    /// server's meal refusals say).
    MealText;
    MealErrEmpty => "还没有选菜", "No dishes chosen yet";
    MealErrUnknownDish => "菜单上没有“{dish}”", "“{dish}” is not on the menu";
    MealErrZero => "“{dish}”的份数不能为 0", "“{dish}” needs at least one portion";
    MealErrWrongMenu => "订单与菜单的日期或餐次不符", "The order does not match the menu's date or meal";
    MealErrPastCutoff => "已过订餐截止时间（{time}）", "Ordering closed at {time}";
    MealErrSoldOut => "“{dish}”只剩 {left} 份", "Only {left} left of “{dish}”";
    MealErrSoldOutAll => "“{dish}”已售完", "“{dish}” is sold out";
    MealErrUnconfirmed => "有菜不适合老人的饮食禁忌，请确认后再订", "Some dishes do not suit the elder's diet; confirm to order them anyway";
    MealErrNotAuthorized => "您还不是这位老人的家属或代订人", "You are not linked to this elder as family or a helper";
    MealHelpersTitle => "为本户老人代订的家属", "Who orders for your household's elders";
    MealHelperSince => "{household}，{date} 起", "{household}, since {date}";
    MealHelperRemove => "解除代订", "Remove";
    MealHelperRemoveFailed => "没能解除，请联网后再试", "It could not be removed; try again when online";
    MealErrOverflow => "金额太大，无法计算", "The amount is too large";
    MealErrAlreadyOrdered => "这一餐已经订过了，如需改动请先取消原订单", "This meal is already ordered; cancel that order to change it";
    MealErrClosed => "这份订单已送达或已取消", "This order was delivered or cancelled already";
    MealErrDuplicate => "{dish}在订单里出现了两次，请合并成一行", "{dish} is in the order twice; make it one line";
    MealErrTooMany => "{dish}一次最多订 {max} 份；更多请打电话和食堂商量", "At most {max} portions of {dish} in one order; call the kitchen for more";
    StatusReceived => "已接单", "Received";
    StatusDelivered => "已送达", "Delivered";
    StatusCancelled => "已取消", "Cancelled";
    FulDelivery => "送餐上门", "Delivered to the door";
    FulPickup => "到店自取", "Pick up";
    FulDineIn => "堂食", "Eat in";
    TagLowSalt => "少盐", "Low salt";
    TagLowSugar => "少糖", "Low sugar";
    TagSoft => "软烂", "Soft";
    TagHalal => "清真", "Halal";
    TagVegetarian => "素食", "Vegetarian";
    MealFor => "为谁订餐", "Ordering for";
    MealProxyMark => "代订", "helper";
    MealForName => "为{name}订餐", "Ordering for {name}";
    MealRepeat => "和上次一样", "Same as last time";
    MealRepeatDone => "已按上次选好，请核对", "Filled in as last time; please check";
    MealRepeatDropped => "上次的{dishes}这一餐没有，已去掉", "{dishes} from last time is not on this menu and was left out";
    MealDay => "日期", "Day";
    MealToday => "今天", "Today";
    MealTomorrow => "明天", "Tomorrow";
    MealDate => "{month}月{day}日", "{day}/{month}";
    MealSlot => "餐次", "Meal";
    MealCutoff => "{time} 前可订", "Order before {time}";
    MealClosed => "已截止", "Closed";
    MealNoMenu => "这一天还没有菜单", "No menu for this day yet";
    MealPrice => "{yuan} 元", "{yuan} yuan";
    MealLeft => "剩 {left} 份", "{left} left";
    MealSoldOut => "已售完", "Sold out";
    MealContains => "含{allergens}", "Contains {allergens}";
    MealUnsuitable => "不适合：{reasons}", "Not suitable: {reasons}";
    MealAllergic => "对{allergen}过敏", "allergic to {allergen}";
    MealLacks => "不是{tag}", "not {tag}";
    MealMore => "加一份{dish}", "One more {dish}";
    MealLess => "减一份{dish}", "One less {dish}";
    MealSummary => "订单", "Order";
    MealList => "原价", "Price";
    MealSubsidy => "补贴", "Subsidy";
    MealPay => "自付", "To pay";
    MealWay => "取餐方式", "How it arrives";
    MealNote => "给食堂的话（选填）", "Note for the kitchen (optional)";
    MealConfirmConflicts => "我知道标着“不适合”的菜不适合老人，仍要订", "I know the dishes marked “not suitable” do not suit the elder; order them anyway";
    MealConfirm => "确认订餐 · 自付 {pay} 元", "Confirm order · pay {pay} yuan";
    MealNothing => "请先选菜", "Choose dishes first";
    MealSaved => "已订好。没有网络时会先存在手机上，联网后自动发送。", "Ordered. Without a network it waits on this phone and goes out when online.";
    MealSaving => "正在保存到手机…", "Saving on this phone…";
    MealSaveFailed => "订单还没有保存，也没有发出，选好的菜还在。{reason}", "The order is neither kept nor sent; your choices are still here. {reason}";
    MealSpeech => "{elder}，{date}{slot}：{dishes}。原价{list}元，补贴{subsidy}元，自付{pay}元。", "{elder}, {slot} on {date}: {dishes}. Price {list} yuan, subsidy {subsidy} yuan, to pay {pay} yuan.";
    MealSpeechLine => "{dish}{qty}份", "{qty} {dish}";
    MealHistory => "订单记录", "Orders";
    MealNoHistory => "还没有订单", "No orders yet";
    MealWaiting => "等待发送", "Waiting to send";
    MealRefused => "这份订单没有订上：{reason}", "This order did not go through: {reason}";
    MealRefusedStatus => "没有订上", "Not ordered";
    MealDismiss => "知道了", "Got it";
    MealDayPassed => "这一天已经过去了", "This day has passed";
    MealCancel => "取消这份订单", "Cancel this order";
    MealCancelling => "取消中，等待发送", "Cancelling; waiting to send";
    MealDietTitle => "饮食禁忌和过敏", "Diet and allergies";
    MealDietWhy => "为了不给老人送错菜，我们想记下老人的饮食要求和过敏食物。这是健康信息，需要您单独同意；只用于配餐，只有老人的家属、代订人和食堂能看到。您可以随时在“我的”里撤回，撤回后我们会删除这些信息。", "So the kitchen never sends the wrong food, we would like to keep the elder's dietary needs and allergies. This is health information and needs your separate consent; it is used only for meals and seen only by the elder's family, helpers and the kitchen. You can withdraw at any time in Me, and we then delete it.";
    MealDietAgree => "同意，并填写", "I agree; fill it in";
    MealDietNeeds => "老人需要", "The elder needs";
    MealDietAllergies => "过敏食物（用顿号分开）", "Allergic to (separate with commas)";
    MealDietSave => "保存", "Save";
    MealDietNow => "已保存：{summary}", "Kept: {summary}";
    MealDietNone => "无", "none";
    MealDietSent => "已保存，发送到食堂后生效", "Saved; it takes effect once the kitchen has it";
    MealDietWithdraw => "撤回同意并删除饮食信息", "Withdraw consent and delete dietary data";
    MealDietWithdrawn => "已撤回，饮食信息将被删除", "Withdrawn; the dietary data will be deleted";
    MealNotLinked => "先绑定住户才能订餐：请到“我的”输入户码。", "Link this phone to your household first: enter the code in Me.";
    MealGoLink => "去绑定", "Link now";
    MealNoElders => "本户还没有登记助餐的老人。", "No elder of this household is registered for meals.";
    MealProxyTitle => "为家里老人代订", "Order for a family elder";
    MealProxyHint => "输入老人家的户码，就可以为老人订餐和取消。", "Enter the elder's household code to order and cancel for them.";
    MealProxyButton => "添加", "Add";
    MealProxyDone => "已添加，可以为老人订餐了", "Added: you can now order for them";
    MealProxyFailed => "户码不对、已被使用，或这户没有登记助餐的老人", "The code is wrong, used already, or that household has no elder registered";
    KindMealOrder => "订餐", "Meal order";
    KindMealCancel => "取消订餐", "Meal cancellation";
    KindMealProfile => "饮食健康信息", "Dietary information";
    MealOffline => "离线：显示的是上次保存的菜单", "Offline: showing the menu saved last time";
    MealUnreadable => "有 {count} 份订单在手机上读不出来，已原样保留；可在「我的」里导出交给工作人员", "{count} orders on this phone cannot be read; they are kept as they are, and can be exported in Me for staff";
    MealUnavailable => "暂时无法加载菜单：请联网后再打开这一页，之后离线也能看到菜单", "The menu cannot be loaded now: open this page once online, and it will show offline after that";
    MealLoading => "正在加载菜单…", "Loading the menu…";
}

crate::i18n::texts! {
    /// Refusals only the server gives, about what it holds (an elder, a menu, an order
    /// it does not have): the phone shows them as the server wrote them in the
    /// resident's language, so they are a table of their own and the residents'
    /// download carries none of them.
    MealServerText;
    MealErrNotOwnConsent => "饮食健康信息只能由老人本户同意或撤回，代订人不能代为同意", "Only the elder's own household can give or withdraw consent to dietary data, not a helper";
    MealErrNoElder => "找不到这位老人的登记信息", "This elder is not registered";
    MealErrNoMenu => "这一餐还没有菜单", "There is no menu for this meal";
    MealErrNoOrder => "找不到这份订单", "This order cannot be found";
    MealErrOff => "本街道暂未开通老年助餐", "This sub-district does not offer meals at present";
}
