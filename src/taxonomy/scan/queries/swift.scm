; Call sites: recv.method(args), recv?.method(args), recv!.method(args), and bare method(args) (wrappers).
; One pattern with an alternation: the Swift grammar is large, and every pattern costs query-compile time.
(call_expression
  [(navigation_expression
     target: (_) @receiver
     suffix: (navigation_suffix suffix: (simple_identifier) @method))
   (simple_identifier) @method]
  (call_suffix (value_arguments) @args)) @call

; Property assignments (AppboyKit's ABKUser): user.email = "x" is looked up as the setter `email=`.
(assignment
  target: (directly_assignable_expression
    (navigation_expression
      target: (_) @receiver
      suffix: (navigation_suffix suffix: (simple_identifier) @method)))
  result: (_) @value) @call
